import { Command } from 'nest-commander';
import { BridgeCommand } from '../../infrastructure/bridge-command';
import { showHelpAndFail } from '../../infrastructure/group-command';
import { WsdlImportCommand } from './wsdl-import.command';

/** `bridge wsdl <verb>`: tools for SOAP agencies. */
@Command({ name: 'wsdl', description: 'tools for SOAP agencies', subCommands: [WsdlImportCommand] })
export class WsdlCommand extends BridgeCommand {
  async run(args: string[]): Promise<void> {
    showHelpAndFail(this.command, args);
  }
}

export const WSDL_COMMANDS = [WsdlCommand, WsdlImportCommand];
