import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AgencyChangesService } from '../delivery/agency-changes.service';
import { DossierLedger } from '../lifecycle/dossier-ledger';

/**
 * Shared by the agency-record replay tests: a dossier the agency accepted under
 * `agencyDossierCode` and then reported `received` (as a poll would have brought it).
 */
export async function receivedAtAgency(
  dataSource: DataSource,
  changes: AgencyChangesService,
  agencyCode: string,
  dossierId: string,
  agencyDossierCode: string,
): Promise<void> {
  await dataSource.transaction((m) =>
    new DossierLedger(m).apply({
      event: 'agency.submission.accepted',
      origin: 'agency',
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      agencyCode,
      ref: dossierId,
      patch: { agencyDossierCode },
    }),
  );
  await changes.apply(agencyCode, [
    {
      bridgeId: dossierId,
      status: 'received',
      agencyStatusCode: 'TN',
      at: new Date().toISOString(),
      changeId: `tn-${dossierId}`,
    },
  ]);
}
