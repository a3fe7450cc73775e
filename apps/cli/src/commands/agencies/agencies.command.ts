import { Command } from 'nest-commander';
import { BridgeCommand } from '../../infrastructure/bridge-command';
import { AgenciesApplyCommand } from './agencies-apply.command';
import { AgenciesDiffCommand } from './agencies-diff.command';
import { AgenciesListCommand } from './agencies-list.command';
import { AgenciesShowCommand } from './agencies-show.command';
import { AgenciesTestCommand } from './agencies-test.command';
import { showHelpAndFail } from '../../infrastructure/group-command';

/** `bridge agencies <verb>`: the agency registry. */
@Command({
  name: 'agencies',
  description:
    'register agencies from their files, compare a changed file with the history, list, show and test them',
  subCommands: [
    AgenciesApplyCommand,
    AgenciesDiffCommand,
    AgenciesListCommand,
    AgenciesShowCommand,
    AgenciesTestCommand,
  ],
})
export class AgenciesCommand extends BridgeCommand {
  async run(args: string[]): Promise<void> {
    showHelpAndFail(this.command, args);
  }
}

/** Every provider of the `agencies` command tree. */
export const AGENCIES_COMMANDS = [
  AgenciesCommand,
  AgenciesApplyCommand,
  AgenciesDiffCommand,
  AgenciesListCommand,
  AgenciesShowCommand,
  AgenciesTestCommand,
];
