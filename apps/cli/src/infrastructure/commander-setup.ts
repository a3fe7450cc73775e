import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Command } from 'commander';
import { InjectCommander } from 'nest-commander';
import { commanderExit } from './failure-report';

/**
 * nest-commander sets the exit override on the root command only; sub-commands would call
 * `process.exit` themselves. This gives every command the same override and help footer,
 * once the command tree is built (after every module's init).
 */
@Injectable()
export class CommanderSetup implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly root: Command) {}

  onApplicationBootstrap(): void {
    const visit = (command: Command) => {
      command.exitOverride(commanderExit);
      command.showSuggestionAfterError(true);
      command.commands.forEach(visit);
    };
    this.root.name('bridge');
    this.root.addHelpText(
      'after',
      '\nEvery command takes --help. Configuration comes from the environment (DATABASE_URL, BRIDGE_SECRET_KEY, LOG_LEVEL, ...).\n',
    );
    visit(this.root);
  }
}
