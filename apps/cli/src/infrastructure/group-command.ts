import type { Command } from 'commander';
import { CliError } from './cli-error';

/**
 * What a command group (`bridge agencies`, `bridge dlq`, ...) does when run without a known
 * verb: prints its help to stderr and fails, naming the unknown verb if one was given.
 */
export function showHelpAndFail(command: Command, args: readonly string[]): never {
  process.stderr.write(command.helpInformation());
  const verbs = command.commands.map((c) => c.name()).join(', ');
  throw new CliError(
    args.length > 0
      ? `unknown command '${command.name()} ${args[0]}'; expected one of: ${verbs}`
      : `'${command.name()}' needs a command: ${verbs}`,
  );
}
