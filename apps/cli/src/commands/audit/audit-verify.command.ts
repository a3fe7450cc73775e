import { Inject } from '@nestjs/common';
import { SubCommand } from 'nest-commander';
import { MessageLogService } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';

/**
 * `bridge audit verify`: chains the entries still staged (what a worker's chainer would do
 * next), so the proof covers every committed message, then walks the hash chain. Entries
 * committed during the walk are reported as staged, not yet proven.
 */
@SubCommand({
  name: 'verify',
  description: 'prove the message log untouched: check every record against the hash chain',
})
export class AuditVerifyCommand extends JsonCapableCommand {
  constructor(
    @Inject(MessageLogService) private readonly messageLog: MessageLogService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  async run(_args: string[], options: CommonOptions = {}): Promise<void> {
    const result = await this.database.run(async () => {
      await this.messageLog.chainAllPending();
      return this.messageLog.verify();
    });
    if (options.json) out.json(result);
    if (result.ok) {
      const staged = result.staged > 0 ? ` (${result.staged} newer entries staged, not yet chained)` : '';
      if (!options.json) out.text(`message log intact: ${result.records} records${staged}`);
      return;
    }
    throw new CliError(
      `message log broken at record ${result.firstBrokenId}: ${result.reason} (${result.records} records before it are intact)`,
    );
  }
}
