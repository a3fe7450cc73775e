import { Command } from 'nest-commander';
import { BridgeCommand } from '../../infrastructure/bridge-command';
import { showHelpAndFail } from '../../infrastructure/group-command';
import { SecretsRotateCommand } from './secrets-rotate.command';

/** `bridge secrets <verb>`: the key that encrypts stored adapter credentials. */
@Command({
  name: 'secrets',
  description: 'manage the encryption of stored adapter credentials',
  subCommands: [SecretsRotateCommand],
})
export class SecretsCommand extends BridgeCommand {
  async run(args: string[]): Promise<void> {
    showHelpAndFail(this.command, args);
  }
}

export const SECRETS_COMMANDS = [SecretsCommand, SecretsRotateCommand];
