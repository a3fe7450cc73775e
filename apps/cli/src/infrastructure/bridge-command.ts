import { CommandRunner, Option } from 'nest-commander';

/** Options every command takes. */
export interface CommonOptions {
  verbose?: boolean;
  json?: boolean;
}

/**
 * Base of every `bridge` command: adds `--verbose` (errors with their stack trace). Commands
 * throw {@link CliError} for failures a person can fix; main.ts prints them and sets the exit code.
 */
export abstract class BridgeCommand extends CommandRunner {
  @Option({ flags: '--verbose', description: 'print the stack trace of an error' })
  parseVerbose(): boolean {
    return true;
  }
}

/** A command whose result can also be printed as JSON (`--json`) for scripts. */
export abstract class JsonCapableCommand extends BridgeCommand {
  @Option({ flags: '--json', description: 'print the result as JSON instead of a table' })
  parseJson(): boolean {
    return true;
  }
}
