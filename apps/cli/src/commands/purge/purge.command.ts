import { Inject } from '@nestjs/common';
import { Command, Option } from 'nest-commander';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { PurgeReport, RetentionPurge } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { out } from '../../output/console-output';
import { renderTable } from '../../output/table';

interface PurgeOptions extends CommonOptions {
  dryRun?: boolean;
}

/**
 * `bridge purge [--dry-run]`: the retention purge the workers run on schedule, now, with the
 * same limits (the BRIDGE_RETAIN_* variables). Says per category what went, or with
 * `--dry-run` what would go, and changes nothing then.
 */
@Command({
  name: 'purge',
  description: 'apply the retention limits to personal data now (--dry-run: only say what would go)',
})
export class PurgeCommand extends JsonCapableCommand {
  constructor(
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  @Option({ flags: '--dry-run', description: 'count what would be purged, change nothing' })
  parseDryRun(): boolean {
    return true;
  }

  async run(_args: string[], options: PurgeOptions = {}): Promise<void> {
    const dryRun = options.dryRun === true;
    const report = await this.database.run((dataSource) =>
      new RetentionPurge(dataSource, this.config.housekeeping.retention).run({ dryRun }),
    );
    if (options.json) return out.json(report);
    out.text(render(report));
  }
}

function render(report: PurgeReport): string {
  const head = report.dryRun
    ? `dry run at ${report.at}: nothing changed; a purge now would do this`
    : `purged at ${report.at}`;
  const table = renderTable(
    report.lines,
    [
      { header: 'category', value: (line) => line.category },
      {
        header: 'limit',
        value: (line) => (line.cutoff === null ? 'kept for ever' : `before ${line.cutoff}`),
      },
      { header: report.dryRun ? 'would go' : 'went', value: (line) => line.count },
      { header: 'what', value: (line) => line.action },
    ],
    'no categories',
  );
  return `${head}\n${table}`;
}
