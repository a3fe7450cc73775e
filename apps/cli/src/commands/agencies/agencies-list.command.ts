import { Inject } from '@nestjs/common';
import { SubCommand } from 'nest-commander';
import { AgencyRegistryService } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { out } from '../../output/console-output';
import { renderTable } from '../../output/table';

/** `bridge agencies list`: every agency with its adapter kind and spec version. */
@SubCommand({ name: 'list', description: 'list every agency, retired ones included' })
export class AgenciesListCommand extends JsonCapableCommand {
  constructor(
    @Inject(AgencyRegistryService) private readonly registry: AgencyRegistryService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  async run(_args: string[], options: CommonOptions = {}): Promise<void> {
    const agencies = await this.database.run(() => this.registry.list());
    if (options.json) return out.json(agencies);
    out.text(
      renderTable(
        agencies,
        [
          { header: 'code', value: (a) => a.code },
          { header: 'name', value: (a) => a.name },
          { header: 'level', value: (a) => a.level },
          { header: 'parent', value: (a) => a.parentCode },
          { header: 'adapter', value: (a) => a.spec?.kind ?? '-' },
          { header: 'version', value: (a) => a.specVersion ?? '-' },
          {
            header: 'state',
            value: (a) => (a.retiredAt ? 'retired' : a.paused ? 'paused' : a.spec ? 'active' : 'no adapter'),
          },
        ],
        'no agencies registered; add some with `bridge agencies apply -f <file|dir>`',
      ),
    );
  }
}
