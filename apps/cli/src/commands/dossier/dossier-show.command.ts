import { Inject } from '@nestjs/common';
import { SubCommand } from 'nest-commander';
import { Applicant } from '@bridge/domain';
import { DossierQueryService, maskPersonalData } from '@bridge/core';
import { CommonOptions, JsonCapableCommand } from '../../infrastructure/bridge-command';
import { CliDatabase } from '../../infrastructure/cli-database';
import { CliError } from '../../infrastructure/cli-error';
import { out } from '../../output/console-output';
import { renderFields, renderTable } from '../../output/table';

/** `bridge dossier show <ref>`: a dossier's summary and its whole timeline. */
@SubCommand({
  name: 'show',
  arguments: '<ref>',
  argsDescription: {
    ref: 'the bridge id, the postal item id (S10, e.g. EC136431858VN) or the agency dossier code',
  },
  description: 'show a dossier and its timeline',
})
export class DossierShowCommand extends JsonCapableCommand {
  constructor(
    @Inject(DossierQueryService) private readonly dossiers: DossierQueryService,
    @Inject(CliDatabase) private readonly database: CliDatabase,
  ) {
    super();
  }

  async run([ref]: string[], options: CommonOptions = {}): Promise<void> {
    const found = await this.database.run(() => this.dossiers.find(ref.trim()));
    if (!found) {
      throw new CliError(`no dossier with bridge id, postal item id or agency dossier code "${ref}"`);
    }
    if (options.json) return out.json(found);
    const { dossier, timeline } = found;
    out.text(
      renderFields([
        ['bridge id', dossier.id],
        ['status', dossier.status],
        ['agency', dossier.agencyCode],
        ['procedure', dossier.procedureCode],
        ['agency dossier', dossier.agencyDossierCode ?? '-'],
        ['postal item', dossier.inboundItemId ?? '-'],
        ['result item', dossier.resultItemId ?? '-'],
        ['service option', dossier.serviceOption],
        ['applicant', applicantLine(dossier.applicant)],
        ['appointment', dossier.appointmentDate ?? '-'],
        ['punctuality', found.punctuality],
        ['sequence', dossier.sequence],
      ]),
    );
    out.text('\ntimeline:');
    out.text(
      renderTable(
        timeline,
        [
          { header: 'at', value: (t) => t.at },
          { header: 'kind', value: (t) => t.kind },
          { header: 'event', value: (t) => t.event },
          { header: 'status', value: (t) => (t.from || t.to ? `${t.from ?? '∅'} → ${t.to ?? '∅'}` : '') },
          { header: 'origin', value: (t) => t.origin },
          { header: 'detail', value: (t) => t.detail },
        ],
        '(empty)',
      ),
    );
  }
}

/** Name and masked contact: enough to recognise the applicant, not to copy their ids. */
function applicantLine(applicant: Applicant): string {
  const name = applicant.kind === 'person' ? applicant.fullName : applicant.name;
  const id = applicant.kind === 'person' ? applicant.citizenId : applicant.taxCode;
  return maskPersonalData(`${name} (${applicant.kind}, ${id}, ${applicant.phone})`);
}
