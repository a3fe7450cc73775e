import 'reflect-metadata';
import type { CommanderError } from 'commander';
import { CommandFactory } from 'nest-commander';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@bridge/config';
import { CliModule } from './cli.module';
import { commanderExit, reportFailure } from './infrastructure/failure-report';

/**
 * The `bridge` command (bin/bridge.js). Builds the CLI's Nest context, runs the command named
 * in argv, closes the context and exits with 0 on success, non-zero on any failure.
 */
async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  let exitCode = 0;
  const fail = (error: unknown) => {
    exitCode = reportFailure(error, verbose);
  };
  try {
    // Before Nest: its injector would print a ConfigError with a stack trace.
    loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`bridge: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  let app: Awaited<ReturnType<typeof CommandFactory.createWithoutRunning>>;
  try {
    app = await CommandFactory.createWithoutRunning(CliModule, {
      cliName: 'bridge',
      bufferLogs: true,
      abortOnError: false,
      // Start-up failures are reported below; Nest's own report (with stack) only on --verbose.
      logger: verbose ? ['error', 'warn'] : false,
      serviceErrorHandler: fail,
      errorHandler: (error) => commanderExit(error as CommanderError),
    });
  } catch (error) {
    return reportFailure(error, verbose);
  }
  app.useLogger(app.get(Logger));
  try {
    await CommandFactory.runApplication(app);
  } catch (error) {
    exitCode = reportFailure(error, verbose);
  } finally {
    await app.close().catch((error: unknown) => fail(error));
  }
  return exitCode;
}

main(process.argv)
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`bridge: ${String(error)}\n`);
    process.exit(1);
  });
