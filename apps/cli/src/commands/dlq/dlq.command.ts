import { Command } from 'nest-commander';
import { BridgeCommand } from '../../infrastructure/bridge-command';
import { showHelpAndFail } from '../../infrastructure/group-command';
import { DlqListCommand } from './dlq-list.command';
import { DlqReplayCommand } from './dlq-replay.command';

/** `bridge dlq <verb>`: dead letters. */
@Command({
  name: 'dlq',
  description: 'list and replay dead letters',
  subCommands: [DlqListCommand, DlqReplayCommand],
})
export class DlqCommand extends BridgeCommand {
  async run(args: string[]): Promise<void> {
    showHelpAndFail(this.command, args);
  }
}

export const DLQ_COMMANDS = [DlqCommand, DlqListCommand, DlqReplayCommand];
