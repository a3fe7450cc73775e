import { EntityManager } from 'typeorm';
import { Dossier } from '@bridge/domain';
import { DossierEntity } from '@bridge/persistence';
import { preparedQuery } from '../shared/prepared-query';

/** The columns of `dossiers` the ledger reads (named: its statements are prepared). */
export const DOSSIER_COLUMNS = `id, inbound_item_id, result_item_id, agency_code, procedure_code, agency_dossier_code,
  service_option, status, sequence, appointment_date, snapshot, created_at, updated_at`;

/** A `dossiers` row as PostgreSQL returns it. */
export interface DossierRow {
  id: string;
  inbound_item_id: string | null;
  result_item_id: string | null;
  agency_code: string;
  procedure_code: string;
  agency_dossier_code: string | null;
  service_option: string;
  status: string;
  sequence: number;
  appointment_date: Date | null;
  snapshot: Dossier;
  created_at: Date;
  updated_at: Date;
}

/** A `dossiers` row read with raw SQL, as the entity. */
export function toEntity(row: DossierRow): DossierEntity {
  return Object.assign(new DossierEntity(), {
    id: row.id,
    inboundItemId: row.inbound_item_id,
    resultItemId: row.result_item_id,
    agencyCode: row.agency_code,
    procedureCode: row.procedure_code,
    agencyDossierCode: row.agency_dossier_code,
    serviceOption: row.service_option,
    status: row.status,
    sequence: row.sequence,
    appointmentDate: row.appointment_date,
    snapshot: row.snapshot,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** What a lookup scoped to one agency found: its own dossiers (locked) and refs of others'. */
export interface ScopedRows {
  /** The agency's dossiers any ref names, oldest first, locked `FOR UPDATE`. */
  own: DossierRow[];
  /** Refs (bridge id, inbound or result S10) that name another agency's dossier, with its agency. */
  foreign: Map<string, string>;
}

/**
 * One statement: locks the agency's own dossiers that `ids` (bridge ids) or `others` (S10s,
 * agency dossier codes) name, and tells which of the refs name a dossier of another agency
 * instead. That dossier is neither locked nor read beyond its refs: an agency's change must
 * never reach it (docs/security.md, "Agency scoping"). Another agency's dossier code is not
 * "foreign" (two agencies may issue the same code); only the bridge's ids and the post's S10s
 * are unique across agencies.
 */
export async function lockScoped(
  manager: EntityManager,
  ids: readonly string[],
  others: readonly string[],
  agencyCode: string,
): Promise<ScopedRows> {
  const rows = await preparedQuery<(DossierRow & { other_agency: string | null })[]>(
    manager,
    `WITH own AS (
       SELECT ${DOSSIER_COLUMNS} FROM dossiers
        WHERE agency_code = $3
          AND (id = ANY($1::uuid[]) OR inbound_item_id = ANY($2::text[]) OR result_item_id = ANY($2::text[])
               OR agency_dossier_code = ANY($2::text[]))
        ORDER BY created_at ASC FOR UPDATE)
     SELECT ${DOSSIER_COLUMNS}, NULL::text AS other_agency FROM own
     UNION ALL
     SELECT id, inbound_item_id, result_item_id, agency_code, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            created_at, NULL, agency_code
       FROM dossiers
      WHERE agency_code <> $3
        AND (id = ANY($1::uuid[]) OR inbound_item_id = ANY($2::text[]) OR result_item_id = ANY($2::text[]))
     ORDER BY created_at ASC`,
    [ids, others, agencyCode],
  );
  const wanted = new Set([...ids, ...others]);
  const own: DossierRow[] = [];
  const foreign = new Map<string, string>();
  for (const row of rows) {
    if (row.other_agency === null) own.push(row);
    else
      for (const ref of [row.id, row.inbound_item_id, row.result_item_id])
        if (ref && wanted.has(ref)) foreign.set(ref, row.other_agency);
  }
  return { own, foreign };
}
