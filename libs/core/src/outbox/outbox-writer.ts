import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { BRIDGE_EVENT_SOURCE, BridgeEventType, CloudEvent } from '@bridge/domain';

/**
 * The pg channel the relay listens on; NOTIFY inside a transaction arrives on commit. An
 * insert into `outbox` notifies it by itself (a statement trigger, see the migrations).
 */
export const OUTBOX_CHANNEL = 'bridge_outbox';

/** A UUID derived from a name, so the same logical event always gets the same id. */
export function deterministicUuid(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Builds a bridge CloudEvent. */
export function bridgeEvent<T>(
  type: BridgeEventType,
  id: string,
  data: T,
  options: { subject?: string; time?: string; correlationId?: string } = {},
): CloudEvent<T, BridgeEventType> {
  return {
    specversion: '1.0',
    id,
    source: BRIDGE_EVENT_SOURCE,
    type,
    subject: options.subject,
    time: options.time ?? new Date().toISOString(),
    datacontenttype: 'application/json',
    correlationid: options.correlationId,
    data,
  };
}

/** An agency job to enqueue through the outbox. */
export interface OutboxJob {
  name: string;
  agencyCode: string;
  jobId: string;
  dossierId?: string;
  payload: Record<string, unknown>;
  /** Not before (delayed work). */
  availableAt?: Date;
}

/** One outbox row as the writers hand it to PostgreSQL (a JSON object in a jsonb array). */
export interface OutboxRow {
  kind: 'event' | 'job';
  topic: string;
  agencyCode: string | null;
  messageId: string;
  payload: unknown;
  dossierId: string | null;
  /** Not before (ISO 8601); now when absent. */
  availableAt?: string;
}

/** The outbox row of a bridge event. */
export function eventRow(event: CloudEvent<unknown, BridgeEventType>, dossierId?: string): OutboxRow {
  return {
    kind: 'event',
    topic: event.type,
    agencyCode: null,
    messageId: event.id,
    payload: event,
    dossierId: dossierId ?? null,
  };
}

/** The outbox row of an agency job. */
export function jobRow(job: OutboxJob): OutboxRow {
  return {
    kind: 'job',
    topic: job.name,
    agencyCode: job.agencyCode,
    messageId: job.jobId,
    payload: job.payload,
    dossierId: job.dossierId ?? null,
    ...(job.availableAt ? { availableAt: job.availableAt.toISOString() } : {}),
  };
}

/**
 * An INSERT of the outbox rows in the jsonb array parameter `param` (a JSON text of
 * {@link OutboxRow}s), in array order. It can stand alone or in a WITH clause, so a state
 * change and its outgoing messages take one round trip.
 */
export function outboxInsertSql(param: string): string {
  return `INSERT INTO outbox (kind, topic, agency_code, message_id, payload, dossier_id, available_at)
    SELECT r->>'kind', r->>'topic', r->>'agencyCode', r->>'messageId', r->'payload',
           (r->>'dossierId')::uuid, COALESCE((r->>'availableAt')::timestamptz, now())
      FROM jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS e(r, n) ORDER BY n`;
}

/**
 * Writes outgoing events and jobs inside the caller's transaction: they leave only if the
 * state change commits (docs/architecture.md, rule 3). The outbox's insert trigger wakes the relay on
 * commit, so a write costs one round trip.
 */
export class OutboxWriter {
  constructor(private readonly manager: EntityManager) {}

  async event(event: CloudEvent<unknown, BridgeEventType>, dossierId?: string): Promise<void> {
    await this.rows([eventRow(event, dossierId)]);
  }

  async job(job: OutboxJob): Promise<void> {
    await this.rows([jobRow(job)]);
  }

  /** Writes several rows in one statement, in order. */
  async rows(rows: OutboxRow[]): Promise<void> {
    if (rows.length > 0) await this.manager.query(outboxInsertSql('$1'), [JSON.stringify(rows)]);
  }

  /** Wakes the relay for rows that became due by other means than an insert (an update). */
  async notifyOnly(): Promise<void> {
    await this.manager.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  }
}
