import type { CommanderError } from 'commander';
import { CliError } from './cli-error';

/**
 * Thrown instead of exiting when commander has printed help or a usage error (unknown
 * command, missing option), so the Nest context is closed before the process ends.
 */
export class CommanderExit extends Error {
  constructor(readonly exitCode: number) {
    super(`commander exit ${exitCode}`);
    this.name = 'CommanderExit';
  }
}

/** commander's exit override: adds a hint after usage errors, then stops with its exit code. */
export function commanderExit(error: CommanderError): never {
  if (error.exitCode !== 0 && error.code !== 'commander.help') {
    process.stderr.write(
      'Run `bridge --help` to see the commands, or `bridge <command> --help` for its options.\n',
    );
  }
  throw new CommanderExit(error.exitCode);
}

/**
 * Prints a failure for the person at the terminal and returns the exit code: a {@link CliError}
 * as its message; anything else as its message and a hint to rerun with `--verbose`, which
 * adds the stack trace.
 */
export function reportFailure(error: unknown, verbose: boolean): number {
  if (error instanceof CommanderExit) return error.exitCode;
  const err = error instanceof Error ? error : new Error(String(error));
  if (err instanceof CliError) {
    process.stderr.write(`bridge: ${err.message}\n`);
  } else {
    process.stderr.write(`bridge: ${err.message || err.name}\n`);
    if (!verbose) process.stderr.write('(run again with --verbose for the details)\n');
  }
  if (verbose && err.stack) process.stderr.write(`${err.stack}\n`);
  return err instanceof CliError ? err.exitCode : 1;
}
