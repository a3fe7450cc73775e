import { Command } from 'nest-commander';
import { BridgeCommand } from '../../infrastructure/bridge-command';
import { showHelpAndFail } from '../../infrastructure/group-command';
import { DossierShowCommand } from './dossier-show.command';

/** `bridge dossier <verb>`: dossiers. */
@Command({ name: 'dossier', description: 'look up dossiers', subCommands: [DossierShowCommand] })
export class DossierCommand extends BridgeCommand {
  async run(args: string[]): Promise<void> {
    showHelpAndFail(this.command, args);
  }
}

export const DOSSIER_COMMANDS = [DossierCommand, DossierShowCommand];
