import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../common/prepared-query';
import { DOSSIER_COLUMNS, DossierRow, refColumnsOnly } from './dossier-columns';
import { ParkedRow } from './change-statement';

export { DOSSIER_COLUMNS, DossierRow, toEntity } from './dossier-columns';

/** The dossiers bridge ids `$1` or other refs `$2` (S10s, agency dossier codes) name, locked, oldest first. */
const LOCK_BY_REFS = `SELECT ${DOSSIER_COLUMNS} FROM dossiers
  WHERE id = ANY($1::uuid[]) OR inbound_item_id = ANY($2::text[]) OR result_item_id = ANY($2::text[])
     OR agency_dossier_code = ANY($2::text[])
  ORDER BY created_at ASC FOR UPDATE`;

/** Locks every dossier `ids` (bridge ids) or `others` (S10s, agency dossier codes) name, oldest first. */
export function lockByRefs(
  manager: EntityManager,
  ids: readonly string[],
  others: readonly string[],
): Promise<DossierRow[]> {
  return preparedQuery<DossierRow[]>(manager, LOCK_BY_REFS, [ids, others]);
}

/**
 * {@link lockByRefs} and {@link lockParked} in one round trip: the dossiers, then the parked
 * events filed under `parkedRefs` or under any ref of those dossiers (locked, others' skipped),
 * oldest first. The parked events come as one JSON array beside the rows (a row with no
 * dossier carries them when none was found).
 */
export async function lockByRefsWithParked(
  manager: EntityManager,
  ids: readonly string[],
  others: readonly string[],
  parkedRefs: readonly string[],
): Promise<{ rows: DossierRow[]; parked: ParkedRow[]; refs: string[] }> {
  const found = await preparedQuery<(DossierRow & { parked: ParkedRow[]; refs: string[] | null })[]>(
    manager,
    `WITH d AS (${LOCK_BY_REFS}),
     r AS (
       SELECT unnest(ARRAY[d.id::text, d."inboundItemId", d."resultItemId", d."agencyDossierCode"]) AS ref FROM d
       UNION SELECT unnest($3::text[])),
     p AS (
       SELECT id, event, payload, dossier_ref FROM parked_events
        WHERE dossier_ref IN (SELECT ref FROM r WHERE ref IS NOT NULL)
        ORDER BY id FOR UPDATE SKIP LOCKED)
     SELECT d.*, a.parked, a.refs
       FROM (SELECT coalesce((SELECT json_agg(json_build_object('id', p.id::text, 'event', p.event,
                                     'payload', p.payload, 'dossier_ref', p.dossier_ref) ORDER BY p.id) FROM p),
                             '[]'::json) AS parked,
                    (SELECT array_agg(ref) FROM r WHERE ref IS NOT NULL) AS refs) a
       LEFT JOIN d ON true
      ORDER BY d."createdAt" ASC`,
    [ids, others, parkedRefs],
  );
  const rows: DossierRow[] = [];
  for (const { parked: _parked, refs: _refs, ...row } of found) if (row.id) rows.push(row);
  return { rows, parked: found[0]?.parked ?? [], refs: found[0]?.refs ?? [] };
}

/** Locks the oldest dossier a ref names (by id when it is a uuid, else by S10 or agency code). */
export function lockOne(manager: EntityManager, ref: string, byId: boolean): Promise<DossierRow[]> {
  return preparedQuery<DossierRow[]>(
    manager,
    `SELECT ${DOSSIER_COLUMNS} FROM dossiers
      WHERE ${byId ? 'id = $1' : '(inbound_item_id = $1 OR result_item_id = $1 OR agency_dossier_code = $1)'}
      ORDER BY created_at ASC LIMIT 1 FOR UPDATE`,
    [ref],
  );
}

/**
 * Locks the dossiers a creating event may name: by its inbound S10 (first) or by its id.
 */
export function lockForCreation(
  manager: EntityManager,
  inboundItemId: string,
  id: string,
): Promise<DossierRow[]> {
  return preparedQuery<DossierRow[]>(
    manager,
    `SELECT ${DOSSIER_COLUMNS} FROM dossiers
      WHERE inbound_item_id = $1 OR result_item_id = $1 OR agency_dossier_code = $1 OR id = $2
      ORDER BY (id = $2 AND inbound_item_id IS DISTINCT FROM $1 AND result_item_id IS DISTINCT FROM $1
                AND agency_dossier_code IS DISTINCT FROM $1), created_at ASC
      FOR UPDATE`,
    [inboundItemId, id],
  );
}

/** Reads dossiers by id without a lock (any order). */
export function readByIds(runner: EntityManager | DataSource, ids: readonly string[]): Promise<DossierRow[]> {
  return preparedQuery<DossierRow[]>(
    runner,
    `SELECT ${DOSSIER_COLUMNS} FROM dossiers WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

/** Locks the parked events filed under `refs`, oldest first; ones another writer holds are skipped. */
export function lockParked(manager: EntityManager, refs: readonly string[]): Promise<ParkedRow[]> {
  return preparedQuery<ParkedRow[]>(
    manager,
    `SELECT id, event, payload, dossier_ref FROM parked_events
      WHERE dossier_ref = ANY($1::text[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
    [refs],
  );
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
     SELECT own.*, NULL::text AS other_agency FROM own
     UNION ALL
     SELECT ${refColumnsOnly(['id', 'inboundItemId', 'resultItemId', 'agencyCode', 'createdAt'])}, agency_code
       FROM dossiers
      WHERE agency_code <> $3
        AND (id = ANY($1::uuid[]) OR inbound_item_id = ANY($2::text[]) OR result_item_id = ANY($2::text[]))
     ORDER BY "createdAt" ASC`,
    [ids, others, agencyCode],
  );
  const wanted = new Set([...ids, ...others]);
  const own: DossierRow[] = [];
  const foreign = new Map<string, string>();
  for (const { other_agency: otherAgency, ...row } of rows) {
    if (otherAgency === null) own.push(row);
    else
      for (const ref of [row.id, row.inboundItemId, row.resultItemId])
        if (ref && wanted.has(ref)) foreign.set(ref, otherAgency);
  }
  return { own, foreign };
}
