import {
  DynamicModule,
  MiddlewareConsumer,
  Module,
  NestModule,
  Provider,
  RequestMethod,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule, Params, PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { correlationIdOf } from './correlation-context';
import { CorrelationIdMiddleware } from './correlation-id.middleware';
import { ErrorIdFilter } from './error-id.filter';
import { createPinoOptions, maskSerialized } from './pino-options';

/** Options of {@link LoggingModule.forRoot}. */
export interface LoggingModuleOptions {
  /** Log level; by default `BridgeConfig.logLevel` (LOG_LEVEL). */
  level?: string;
  /** Where the JSON lines go; stdout by default. */
  destination?: DestinationStream;
  /** Register {@link ErrorIdFilter} as the global exception filter (default true). */
  errorFilter?: boolean;
}

// Probes are called every few seconds; logging each would drown the useful lines.
const QUIET_PATHS = /^\/(health|metrics)(\/|$|\?)/;

/** nestjs-pino parameters: the bridge's pino options plus HTTP request logging. */
export function createLoggerParams(level: string, destination?: DestinationStream): Params {
  const options = {
    ...createPinoOptions(level),
    genReqId: (request: IncomingMessage) => correlationIdOf(request),
    serializers: {
      ...createPinoOptions(level).serializers,
      req: maskSerialized((request: unknown) => request),
      res: maskSerialized((response: unknown) => response),
    },
    customLogLevel: (_req: IncomingMessage, response: ServerResponse, error?: Error) =>
      error || response.statusCode >= 500
        ? ('error' as const)
        : response.statusCode >= 400
          ? ('warn' as const)
          : ('info' as const),
    autoLogging: { ignore: (request: IncomingMessage) => QUIET_PATHS.test(request.url ?? '') },
  };
  return {
    pinoHttp: destination ? [options, destination] : options,
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}

/**
 * JSON logging for a Nest app through nestjs-pino: correlation id from `X-Correlation-Id`
 * (or generated) on every line and echoed in the response, secrets redacted, citizen ids and
 * phone numbers masked, and (by default) {@link ErrorIdFilter} as the global exception filter.
 * In `main.ts`: `NestFactory.create(AppModule, { bufferLogs: true })` then
 * `app.useLogger(app.get(Logger))` (`Logger` from nestjs-pino).
 */
@Module({})
export class LoggingModule implements NestModule {
  static forRoot(options: LoggingModuleOptions = {}): DynamicModule {
    const pinoModule =
      options.level !== undefined
        ? LoggerModule.forRoot(createLoggerParams(options.level, options.destination))
        : LoggerModule.forRootAsync({
            inject: [BRIDGE_CONFIG],
            useFactory: (config: BridgeConfig) => createLoggerParams(config.logLevel, options.destination),
          });
    const providers: Provider[] = [CorrelationIdMiddleware];
    if (options.errorFilter !== false) {
      providers.push({
        provide: APP_FILTER,
        inject: [PinoLogger],
        useFactory: (logger: PinoLogger) => {
          logger.setContext(ErrorIdFilter.name);
          return new ErrorIdFilter(logger);
        },
      });
    }
    return { module: LoggingModule, global: true, imports: [pinoModule], providers, exports: [pinoModule] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
