import { Inject } from '@nestjs/common';
import { Option, SubCommand } from 'nest-commander';
import { MessageLogService, readLatestCheckpoint } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';

interface AuditVerifyOptions extends CommonOptions {
  checkpoint?: string;
}

/**
 * `bridge audit verify`: chains the entries still staged (what a worker's chainer would do
 * next), so the proof covers every committed message, then walks the hash chain against the
 * latest signed checkpoint (`--checkpoint`, else BRIDGE_AUDIT_CHECKPOINT_DIR): records cut from
 * the end of the log are named. Entries committed during the walk are reported as staged.
 */
@SubCommand({
  name: 'verify',
  description:
    'prove the message log untouched: check every record against the chain and the latest checkpoint',
})
export class AuditVerifyCommand extends JsonCapableCommand {
  constructor(
    @Inject(MessageLogService) private readonly messageLog: MessageLogService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  @Option({
    flags: '--checkpoint <path>',
    description: 'a checkpoint file or directory (default: BRIDGE_AUDIT_CHECKPOINT_DIR)',
  })
  parseCheckpoint(value: string): string {
    return value;
  }

  async run(_args: string[], options: AuditVerifyOptions = {}): Promise<void> {
    const location = options.checkpoint ?? (process.env.BRIDGE_AUDIT_CHECKPOINT_DIR?.trim() || undefined);
    let checkpoint;
    try {
      checkpoint = location ? await readLatestCheckpoint(location) : undefined;
    } catch (error) {
      throw new CliError(
        `cannot read the checkpoint: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (location && !checkpoint) throw new CliError(`no checkpoint found in ${location}`);
    const result = await this.database.run(async () => {
      await this.messageLog.chainAllPending();
      return this.messageLog.verify(checkpoint);
    });
    if (options.json) out.json(result);
    if (result.ok) {
      if (options.json) return;
      const staged = result.staged > 0 ? ` (${result.staged} newer entries staged, not yet chained)` : '';
      const anchored = result.checkpoint?.compared
        ? `, the end vouched for by the checkpoint of ${result.checkpoint.at} (record ${result.checkpoint.lastId})`
        : '';
      out.text(`message log intact: ${result.records} records${anchored}${staged}`);
      if (!result.checkpoint?.compared)
        process.stderr.write(
          'warning: no checkpoint to compare with, so records cut from the end of the log would not be noticed (set BRIDGE_AUDIT_CHECKPOINT_DIR or --checkpoint)\n',
        );
      return;
    }
    throw new CliError(
      `message log broken at record ${result.firstBrokenId}: ${result.reason} (${result.records} records before it are intact)`,
    );
  }
}
