import { EntityManager } from 'typeorm';
import { TimelineKind } from '@bridge/persistence';
import { OutboxRow, outboxInsertSql } from '../outbox/outbox-writer';
import { preparedQuery } from '../common/prepared-query';
import { SideWrite } from '../common/side-write';

export type { SideWrite } from '../common/side-write';
import { DOSSIER_INSERT, DOSSIER_RECORD, DOSSIER_SET, DossierColumns } from './dossier-columns';

/** One line of a dossier's timeline. */
export interface TimelineColumns {
  dossierId: string;
  kind: TimelineKind;
  event: string;
  origin: string;
  fromStatus: string | null;
  toStatus: string | null;
  sequence: number | null;
  eventId: string | null;
  detail: string | null;
  occurredAt: string;
}

/** An event parked until its dossier gets to the status it needs. */
export interface ParkedColumns {
  dossierRef: string;
  dossierId: string | null;
  event: string;
  payload: unknown;
  reason: string;
}

/** A parked event as PostgreSQL returns it. */
export interface ParkedRow {
  id: string;
  event: string;
  payload: unknown;
  dossier_ref: string;
}

/** What the ledger writes at once; every part may be empty. */
export interface ChangeWrites {
  insertDossiers: DossierColumns[];
  updateDossiers: DossierColumns[];
  timeline: TimelineColumns[];
  outbox: OutboxRow[];
  park: ParkedColumns[];
  /** Ids of parked events applied (released) by now. */
  unpark: string[];
  /** Lock and return the parked events filed under these refs (oldest first). */
  parkedRefs: string[];
  /** The caller's own writes of the same transaction, sent in the same statement. */
  also: SideWrite[];
}

export function noWrites(): ChangeWrites {
  return {
    insertDossiers: [],
    updateDossiers: [],
    timeline: [],
    outbox: [],
    park: [],
    unpark: [],
    parkedRefs: [],
    also: [],
  };
}

/**
 * Writes what the ledger has decided — new and changed dossiers, timeline lines, outgoing
 * events and jobs, parked and released events — with the caller's side writes, and reads the parked events the changes may
 * release, in ONE statement (data-modifying WITH clauses over jsonb parameters), so a batch of
 * changes costs one round trip. Rows keep the order they were decided in. The text depends
 * only on which parts are present, so it is prepared once per connection.
 *
 * The statement relies on PostgreSQL's snapshot rule for data-modifying `WITH` (PostgreSQL
 * documentation, "Queries" chapter, section "Data-Modifying Statements in WITH"): the
 * sub-statements and the main query run concurrently with ONE snapshot, so none of them sees
 * another's changes to the tables; data passes between them only through `RETURNING`. Hence:
 * - the final SELECT of `parked_events` sees the table as it was before this statement: it
 *   never returns the events this statement parks (the ledger holds those itself), and what it
 *   returns does not depend on the order of the parts;
 * - no part may change a row another part changes (PostgreSQL leaves the outcome of changing
 *   the same row twice in one statement unpredictable): a dossier is either inserted or
 *   updated, and an event parked and released within one batch is not written at all.
 */
export async function writeChanges(manager: EntityManager, writes: ChangeWrites): Promise<ParkedRow[]> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const ordered = (param: string) => `jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS e(r, n)`;
  const parts: string[] = [];

  if (writes.insertDossiers.length)
    parts.push(`${DOSSIER_INSERT}
      FROM jsonb_to_recordset(${p(JSON.stringify(writes.insertDossiers))}::jsonb) AS x(${DOSSIER_RECORD})`);
  if (writes.updateDossiers.length)
    parts.push(`UPDATE dossiers d SET ${DOSSIER_SET}
      FROM jsonb_to_recordset(${p(JSON.stringify(writes.updateDossiers))}::jsonb) AS x(${DOSSIER_RECORD})
      WHERE d.id = x.id`);
  if (writes.timeline.length)
    parts.push(`INSERT INTO dossier_timeline (dossier_id, kind, event, origin, from_status, to_status, sequence,
        event_id, detail, occurred_at)
      SELECT (r->>'dossierId')::uuid, r->>'kind', r->>'event', r->>'origin', r->>'fromStatus', r->>'toStatus',
        (r->>'sequence')::int, r->>'eventId', r->>'detail', (r->>'occurredAt')::timestamptz
      FROM ${ordered(p(JSON.stringify(writes.timeline)))} ORDER BY n`);
  if (writes.outbox.length) parts.push(outboxInsertSql(p(JSON.stringify(writes.outbox))));
  if (writes.park.length)
    parts.push(`INSERT INTO parked_events (dossier_ref, dossier_id, event, payload, reason)
      SELECT r->>'dossierRef', (r->>'dossierId')::uuid, r->>'event', r->'payload', r->>'reason'
      FROM ${ordered(p(JSON.stringify(writes.park)))} ORDER BY n`);
  if (writes.unpark.length)
    parts.push(`DELETE FROM parked_events WHERE id = ANY(${p(writes.unpark)}::bigint[])`);
  for (const side of writes.also) parts.push(side(p));

  const final = writes.parkedRefs.length
    ? `SELECT id, event, payload, dossier_ref FROM parked_events
        WHERE dossier_ref = ANY(${p(writes.parkedRefs)}::text[]) ORDER BY id FOR UPDATE SKIP LOCKED`
    : parts.length > 0
      ? 'SELECT NULL AS id WHERE false'
      : null;
  if (final === null) return [];
  const sql = parts.length
    ? `WITH ${parts.map((part, i) => `w${i} AS (${part})`).join(',\n')}\n${final}`
    : final;
  return preparedQuery<ParkedRow[]>(manager, sql, params);
}
