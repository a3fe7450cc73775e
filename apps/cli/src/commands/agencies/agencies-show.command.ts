import { Inject } from '@nestjs/common';
import { SubCommand } from 'nest-commander';
import { stringify } from 'yaml';
import { AgencyNotFoundError, AgencyRegistryService } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';
import { renderFields, renderTable } from '../../output/table';

/** `bridge agencies show <code>`: one agency, its procedures and its current spec (secrets masked). */
@SubCommand({
  name: 'show',
  arguments: '<code>',
  argsDescription: { code: 'the agency code, e.g. 000.00.01.H48' },
  description: 'show one agency and its current adapter spec, secrets masked',
})
export class AgenciesShowCommand extends JsonCapableCommand {
  constructor(
    @Inject(AgencyRegistryService) private readonly registry: AgencyRegistryService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([code]: string[], options: CommonOptions = {}): Promise<void> {
    const agency = await this.database
      .run(() => this.registry.show(code))
      .catch((error: unknown) => {
        if (error instanceof AgencyNotFoundError) {
          throw new CliError(`${error.message}; see \`bridge agencies list\``);
        }
        throw error;
      });
    if (options.json) return out.json(agency);
    out.text(
      renderFields([
        ['code', agency.code],
        ['name', agency.name],
        ['level', agency.level],
        ['parent', agency.parentCode],
        ['province', agency.province],
        ['valid', `${agency.validFrom ?? '…'} – ${agency.validTo ?? '…'}`],
        [
          'state',
          agency.retiredAt
            ? `retired ${agency.retiredAt.toISOString()}`
            : agency.paused
              ? 'paused'
              : 'active',
        ],
        ['spec version', agency.specVersion ?? 'no adapter'],
        [
          'applied by',
          agency.specAppliedBy ? `${agency.specAppliedBy} at ${agency.specAppliedAt?.toISOString()}` : null,
        ],
      ]),
    );
    out.text('\nprocedures:');
    out.text(
      renderTable(
        agency.procedures,
        [
          { header: 'code', value: (p) => p.code },
          { header: 'by post', value: (p) => (p.byPost ? 'yes' : 'no') },
          { header: 'name', value: (p) => p.name },
        ],
        '(none)',
      ),
    );
    if (agency.spec) out.text(`\nadapter (secrets masked):\n${indent(stringify(agency.spec))}`);
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
