import { EntityManager } from 'typeorm';
import { TimelineKind } from '@bridge/persistence';
import { OutboxRow, outboxInsertSql } from '../outbox/outbox-writer';
import { preparedQuery } from '../shared/prepared-query';

/** The columns of a `dossiers` row the ledger writes. */
export interface DossierColumns {
  id: string;
  inboundItemId: string | null;
  resultItemId: string | null;
  agencyCode: string;
  procedureCode: string;
  agencyDossierCode: string | null;
  serviceOption: string;
  status: string;
  sequence: number;
  appointmentDate: Date | null;
  snapshot: unknown;
}

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
  };
}

const DOSSIER_RECORD = `id uuid, inbound_item_id text, result_item_id text, agency_code text, procedure_code text,
  agency_dossier_code text, service_option text, status text, sequence int, appointment_date timestamptz, snapshot jsonb`;

function dossierRecords(rows: DossierColumns[]): string {
  return JSON.stringify(
    rows.map((c) => ({
      id: c.id,
      inbound_item_id: c.inboundItemId,
      result_item_id: c.resultItemId,
      agency_code: c.agencyCode,
      procedure_code: c.procedureCode,
      agency_dossier_code: c.agencyDossierCode,
      service_option: c.serviceOption,
      status: c.status,
      sequence: c.sequence,
      appointment_date: c.appointmentDate,
      snapshot: c.snapshot,
    })),
  );
}

/**
 * Writes what the ledger has decided — new and changed dossiers, timeline lines, outgoing
 * events and jobs, parked and released events — and reads the parked events the changes may
 * release, in ONE statement (data-modifying WITH clauses over jsonb parameters), so a batch of
 * changes costs one round trip. Rows keep the order they were decided in. The text depends
 * only on which parts are present, so it is prepared once per connection.
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
    parts.push(`INSERT INTO dossiers (id, inbound_item_id, result_item_id, agency_code, procedure_code,
        agency_dossier_code, service_option, status, sequence, appointment_date, snapshot)
      SELECT * FROM jsonb_to_recordset(${p(dossierRecords(writes.insertDossiers))}::jsonb) AS x(${DOSSIER_RECORD})`);
  if (writes.updateDossiers.length)
    parts.push(`UPDATE dossiers d SET inbound_item_id = x.inbound_item_id, result_item_id = x.result_item_id,
        agency_code = x.agency_code, procedure_code = x.procedure_code, agency_dossier_code = x.agency_dossier_code,
        service_option = x.service_option, status = x.status, sequence = x.sequence,
        appointment_date = x.appointment_date, snapshot = x.snapshot, updated_at = now()
      FROM jsonb_to_recordset(${p(dossierRecords(writes.updateDossiers))}::jsonb) AS x(${DOSSIER_RECORD})
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
