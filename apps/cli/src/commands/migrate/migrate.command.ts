import { Inject } from '@nestjs/common';
import { Command } from 'nest-commander';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { migrate, schemaOf } from '@bridge/persistence';
import { JsonCapableCommand, CommonOptions } from '../../infrastructure/bridge-command';
import { databaseAddress, databaseError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';

/** `bridge migrate`: creates the database if missing and applies pending migrations. */
@Command({
  name: 'migrate',
  description: 'create the database if it is missing and apply pending migrations (safe to run again)',
})
export class MigrateCommand extends JsonCapableCommand {
  constructor(@Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig) {
    super();
  }

  async run(_args: string[], options: CommonOptions = {}): Promise<void> {
    const url = this.config.databaseUrl;
    let report: Awaited<ReturnType<typeof migrate>>;
    try {
      report = await migrate(url);
    } catch (error) {
      throw databaseError(error, url) ?? error;
    }
    if (options.json) return out.json(report);
    const where = `${databaseAddress(url)}${new URL(url).pathname}${schemaOf(url) ? ` (schema ${schemaOf(url)})` : ''}`;
    if (report.databaseCreated) out.text(`created database ${where}`);
    if (report.applied.length === 0) return out.text(`nothing to apply: ${where} is up to date`);
    out.text(`applied ${report.applied.length} migration(s) to ${where}:`);
    for (const name of report.applied) out.text(`  ${name}`);
  }
}
