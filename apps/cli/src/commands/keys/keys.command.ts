import { Command } from 'nest-commander';
import { BridgeCommand } from '../../infrastructure/bridge-command';
import { showHelpAndFail } from '../../infrastructure/group-command';
import { KeysCreateCommand } from './keys-create.command';
import { KeysListCommand } from './keys-list.command';
import { KeysRevokeCommand } from './keys-revoke.command';

/** `bridge keys <verb>`: API keys of the HTTP API. */
@Command({
  name: 'keys',
  description: 'create, list and revoke API keys',
  subCommands: [KeysCreateCommand, KeysListCommand, KeysRevokeCommand],
})
export class KeysCommand extends BridgeCommand {
  async run(args: string[]): Promise<void> {
    showHelpAndFail(this.command, args);
  }
}

export const KEYS_COMMANDS = [KeysCommand, KeysCreateCommand, KeysListCommand, KeysRevokeCommand];
