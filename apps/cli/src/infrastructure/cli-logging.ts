import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { createPinoOptions } from '@bridge/core';

/**
 * The level the CLI logs at: `warn` unless LOG_LEVEL is set, so a command's own output is not
 * drowned in the start-up lines a server would log.
 */
export function cliLogLevel(config: BridgeConfig, env: NodeJS.ProcessEnv = process.env): string {
  return env.LOG_LEVEL?.trim() ? config.logLevel : 'warn';
}

/** nestjs-pino with the bridge's options, writing to stderr: stdout is the command's output. */
export const CliLoggerModule = LoggerModule.forRootAsync({
  inject: [BRIDGE_CONFIG],
  useFactory: (config: BridgeConfig) => ({
    pinoHttp: [createPinoOptions(cliLogLevel(config)), pino.destination({ fd: 2, sync: true })],
  }),
});
