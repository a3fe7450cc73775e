import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { BRIDGE_EVENT_SOURCE, BridgeEventType, CloudEvent } from '@bridge/domain';
import { JsonObject, OutboxMessageEntity } from '@bridge/persistence';

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

/**
 * Writes outgoing events and jobs inside the caller's transaction: they leave only if the
 * state change commits (reliability rule 3). The outbox's insert trigger wakes the relay on
 * commit, so a write costs one round trip.
 */
export class OutboxWriter {
  constructor(private readonly manager: EntityManager) {}

  async event(event: CloudEvent<unknown, BridgeEventType>, dossierId?: string): Promise<void> {
    await this.manager.insert(OutboxMessageEntity, {
      kind: 'event',
      topic: event.type,
      messageId: event.id,
      payload: event as unknown as JsonObject,
      dossierId: dossierId ?? null,
    });
  }

  async job(job: OutboxJob): Promise<void> {
    await this.manager.insert(OutboxMessageEntity, {
      kind: 'job',
      topic: job.name,
      agencyCode: job.agencyCode,
      messageId: job.jobId,
      payload: job.payload as JsonObject,
      dossierId: job.dossierId ?? null,
      ...(job.availableAt ? { availableAt: job.availableAt } : {}),
    });
  }

  /** Wakes the relay for rows that became due by other means than an insert (an update). */
  async notifyOnly(): Promise<void> {
    await this.manager.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  }
}
