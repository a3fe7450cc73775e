import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import * as amqp from 'amqplib';
import { Redis } from 'ioredis';
import {
  AgencyRegistryService,
  AgencyRuntime,
  ApiKeyService,
  BridgeAppModule,
  configureHttpApp,
  parseAgencyYaml,
} from '@bridge/core';
import { bridgeTopologyNames } from '@bridge/messaging';
import { TEST_AMQP_URL } from './rabbit-admin';
import { createTestDatabase, TestDatabase } from './test-database';

const ROOT = join(__dirname, '..', '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Agency A: the SOAP example agency (adapters/soap/fixtures/agency.example.yaml). */
export const GATEWAY_AGENCY_A = '000.00.53.H48';
/** Agency B: the same adapter under another code, so one agency's key can be tried on the other. */
export const GATEWAY_AGENCY_B = '000.00.21.H48';

/** A gateway (`BridgeAppModule.forRole('gateway')`) running in this process on its own schema. */
export interface TestGateway {
  app: NestExpressApplication;
  db: TestDatabase;
  namespace: string;
  keys: ApiKeyService;
  /** BRIDGE_BOOTSTRAP_ADMIN_KEY of this gateway. */
  bootstrapKey: string;
  server(): never;
  /** Closes the app, then drops its schema, exchanges, queues and Redis keys. */
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Runs after the app is created and before `init` (e.g. mounting the API docs). */
  beforeInit?: (app: NestExpressApplication) => void;
  /** Extra environment for the app's configuration (restored on close). */
  env?: Record<string, string>;
}

/**
 * Boots the gateway role as `startBridge` wires it (same root module and body parsers) on a
 * fresh schema, a unique BRIDGE_NAMESPACE and a bootstrap admin key, with the city of Đà Nẵng
 * and agencies A and B registered and loaded.
 */
export async function startTestGateway(
  label: string,
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  const db = await createTestDatabase(`gw_${label}`);
  const namespace = `gw-${label}-${randomBytes(3).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-');
  const bootstrapKey = `gateway-admin-${randomBytes(12).toString('hex')}`;
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    BRIDGE_NAMESPACE: namespace,
    BRIDGE_BOOTSTRAP_ADMIN_KEY: bootstrapKey,
    LOG_LEVEL: process.env.GATEWAY_TEST_LOG_LEVEL ?? 'fatal',
    ...options.env,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const restoreEnv = () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };

  const moduleRef = await Test.createTestingModule({
    imports: [BridgeAppModule.forRole('gateway')],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: false });
  configureHttpApp(app);
  options.beforeInit?.(app);
  await app.init();

  const soap = readFileSync(join(ROOT, 'adapters/soap/fixtures/agency.example.yaml'), 'utf8');
  const city = 'libs/core/src/agencies/fixtures/valid/000.00.00.H48.yaml';
  const agencyA = parseAgencyYaml('agency-a.yaml', soap);
  const agencyB = parseAgencyYaml('agency-b.yaml', soap);
  agencyB.data = {
    ...(agencyB.data as Record<string, unknown>),
    code: GATEWAY_AGENCY_B,
    name: 'UBND phường Sơn Trà',
  };
  await app
    .get(AgencyRegistryService)
    .apply([parseAgencyYaml(city, readFileSync(join(ROOT, city), 'utf8')), agencyA, agencyB], {
      appliedBy: 'gateway-tests',
    });
  await app.get(AgencyRuntime).refresh();

  return {
    app,
    db,
    namespace,
    keys: app.get(ApiKeyService),
    bootstrapKey,
    server: () => app.getHttpServer() as never,
    async close() {
      try {
        await app.close();
      } finally {
        restoreEnv();
        await deleteTopology(namespace);
        await deleteRedisKeys([`bridge:${namespace}:*`, `bull:${namespace}-agency.*`]);
        await db.drop();
      }
    },
  };
}

async function deleteTopology(namespace: string): Promise<void> {
  const names = bridgeTopologyNames(namespace);
  const connection = await amqp.connect(TEST_AMQP_URL);
  try {
    const channel = await connection.createChannel();
    for (const queue of [names.postalInboundQueue, names.postalInboundDeadQueue])
      await channel.deleteQueue(queue);
    for (const exchange of [
      names.postalInboundExchange,
      names.bridgeEventsExchange,
      names.deadLetterExchange,
    ])
      await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}

async function deleteRedisKeys(patterns: string[]): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  try {
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
