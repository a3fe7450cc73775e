import { Command } from 'nest-commander';
import { BridgeCommand } from '../../infrastructure/bridge-command';
import { showHelpAndFail } from '../../infrastructure/group-command';
import { AuditVerifyCommand } from './audit-verify.command';

/** `bridge audit <verb>`: the message log. */
@Command({
  name: 'audit',
  description: 'check the append-only message log',
  subCommands: [AuditVerifyCommand],
})
export class AuditCommand extends BridgeCommand {
  async run(args: string[]): Promise<void> {
    showHelpAndFail(this.command, args);
  }
}

export const AUDIT_COMMANDS = [AuditCommand, AuditVerifyCommand];
