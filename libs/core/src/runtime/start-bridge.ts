import 'reflect-metadata';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@bridge/config';
import { setupApiDocs } from '../docs/api-docs';
import { applyHeapDefaults } from './heap-policy';
import { connectPostalTransport } from '../ingress/postal-consumer.module';
import { BridgeRole, runsWorker } from './tokens';

/** Largest JSON body the gateway takes (a batch of postal events); larger gets 413. */
export const MAX_JSON_BODY = '5mb';
/** Largest XML body (SOAP pushes); the safe XML reader enforces its own tighter limits. */
export const MAX_XML_BODY = '2mb';

/**
 * Body parsers and their size limits, shared by the real processes and the in-process test
 * apps so that tests meet exactly the limits production enforces. Create the app with
 * `rawBody: true` (SOAP pushes and signed callbacks need the bytes as received).
 */
export function configureHttpApp(app: NestExpressApplication): NestExpressApplication {
  app.useBodyParser('json', {
    limit: MAX_JSON_BODY,
    type: ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'],
  });
  app.useBodyParser('raw', {
    limit: MAX_XML_BODY,
    type: ['text/xml', 'application/xml', 'application/soap+xml'],
  });
  return app;
}

/**
 * Starts a bridge process. Configuration is validated before anything else: a wrong value
 * stops start-up with a message naming the variable. The process first sets its heap growth
 * ({@link applyHeapDefaults}), so that its memory stays bounded under load. `rootModule` is the
 * app's own module (apps/<app>/src/app.module.ts), which composes the libraries' modules.
 */
export async function startBridge(role: BridgeRole, rootModule: Type): Promise<NestExpressApplication> {
  applyHeapDefaults();
  let port: number;
  try {
    port = loadConfig().port;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(rootModule, {
    bufferLogs: true,
    rawBody: true,
    bodyParser: true,
  });
  app.useLogger(app.get(Logger));
  configureHttpApp(app);
  if (role !== 'worker') setupApiDocs(app);
  app.enableShutdownHooks();
  // The postal transport starts once everything it feeds is initialised (the topology is
  // declared at module init), before the HTTP port opens; the drain stops it first.
  if (runsWorker(role)) connectPostalTransport(app);
  await app.init();
  await app.startAllMicroservices();
  await app.listen(port);
  app.get(Logger).log(`bridge ${role} listening on port ${port}`);
  return app;
}

/** Starts a bridge process from its `main.ts`; a failure to start is printed and exits with 1. */
export function runBridge(role: BridgeRole, rootModule: Type): void {
  startBridge(role, rootModule).catch((error: unknown) => {
    process.stderr.write(
      `bridge ${role} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
