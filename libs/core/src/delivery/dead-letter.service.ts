import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DeadLetteredData } from '@bridge/domain';
import {
  AttemptRecord,
  DeadLetterEntity,
  DossierEntity,
  JsonObject,
  OutboxMessageEntity,
} from '@bridge/persistence';
import { DossierLedger } from '../lifecycle/dossier-ledger';
import { replayParked } from '../lifecycle/parked-event-expiry';
import { bridgeEvent, OutboxWriter } from '../outbox/outbox-writer';
import { inTransaction } from '../common/transaction';
import { claimInbox, settleInbox } from '../common/inbox-rows';

/** A dead letter to record. */
export interface NewDeadLetter {
  /** `operations-task`: work for a person (documents to hand over), closed by discarding it. */
  origin: 'delivery' | 'inbound' | 'agency-record' | 'parked' | 'operations-task';
  agencyCode?: string;
  dossierId?: string;
  operation: string;
  payload: Record<string, unknown>;
  errorCode: string;
  reason: string;
  attempts: AttemptRecord[];
  correlationId?: string;
}

/** Filter of a bulk replay. */
export interface DeadLetterFilter {
  agencyCode?: string;
  errorCode?: string;
  errorSignature?: string;
  origin?: string;
  from?: Date;
  to?: Date;
}

/**
 * Groups like failures: the error code plus the message with ids, numbers and quoted values
 * blanked, so "dossier 7f3c… timed out after 10000 ms" and its siblings fall together.
 */
export function errorSignature(code: string, reason: string): string {
  const shape = reason
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\b[A-Z]{2}\d{9}[A-Z]{2}\b/g, '<s10>')
    .replace(/\d+/g, '<n>')
    .slice(0, 200);
  return `${code}: ${shape}`;
}

/**
 * Dead letters: recorded with every attempt and the reason, announced as
 * `delivery.dead_lettered`, kept until a person replays or discards them. Replay re-enqueues
 * the original job under a fresh job id; the agency call still carries the dossier id as its
 * idempotency key, so a replay never files a dossier twice.
 */
@Injectable()
export class DeadLetterService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, letter: NewDeadLetter): Promise<string> {
    const row = await manager.save(
      manager.create(DeadLetterEntity, {
        origin: letter.origin,
        agencyCode: letter.agencyCode ?? null,
        dossierId: letter.dossierId ?? null,
        operation: letter.operation,
        payload: letter.payload,
        errorCode: letter.errorCode,
        errorSignature: errorSignature(letter.errorCode, letter.reason),
        reason: letter.reason,
        attempts: letter.attempts,
        correlationId: letter.correlationId ?? null,
      }),
    );
    const data: DeadLetteredData = {
      deadLetterId: row.id,
      agencyCode: letter.agencyCode ?? '',
      dossierId: letter.dossierId,
      operation: letter.operation,
      errorCode: letter.errorCode,
      reason: letter.reason,
      attempts: letter.attempts.length,
    };
    await new OutboxWriter(manager).event(
      bridgeEvent('delivery.dead_lettered', row.id, data, {
        subject: letter.dossierId,
        correlationId: letter.correlationId,
      }),
      letter.dossierId,
    );
    if (letter.dossierId && (await manager.existsBy(DossierEntity, { id: letter.dossierId }))) {
      await new DossierLedger(manager).note(letter.dossierId, 'dead_letter', letter.operation, letter.reason);
    }
    return row.id;
  }

  /** Records a dead letter in its own transaction. */
  async recordNow(letter: NewDeadLetter): Promise<string> {
    return inTransaction(this.dataSource, (manager) => this.record(manager, letter));
  }

  /**
   * Records a dead letter once per `key`: the key is claimed in the inbox in the same
   * transaction, so a message read again after a crash between this commit and its ack is not
   * recorded twice (docs/architecture.md, rule 2). Returns null when the key was recorded before.
   */
  async recordOnce(key: { source: string; eventId: string }, letter: NewDeadLetter): Promise<string | null> {
    return inTransaction(this.dataSource, async (manager) => {
      const claimed = await claimInbox(manager, [
        { ...key, type: `dead-letter.${letter.origin}`, contentHash: key.eventId },
      ]);
      if (claimed.size === 0) return null;
      const id = await this.record(manager, letter);
      await settleInbox(manager, [{ ...key, outcome: 'dead_lettered', detail: id, dossierId: null }]);
      return id;
    });
  }

  /** Replays one open dead letter; returns false when it is not open (already replayed or discarded). */
  async replay(
    id: string,
    by: string,
    replayInbound?: (payload: Record<string, unknown>) => Promise<void>,
  ): Promise<boolean> {
    return inTransaction(this.dataSource, async (manager) => {
      const letter = await manager.findOne(DeadLetterEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!letter || letter.state !== 'open') return false;
      const replayCount = letter.replayCount + 1;
      if (letter.origin === 'delivery') {
        const jobId = `${String(letter.payload.jobId ?? letter.operation)}.replay-${replayCount}`;
        await manager.insert(OutboxMessageEntity, {
          kind: 'job',
          topic: letter.operation,
          agencyCode: letter.agencyCode,
          messageId: jobId,
          payload: (letter.payload.payload as JsonObject) ?? letter.payload,
          dossierId: letter.dossierId,
        });
        await new OutboxWriter(manager).notifyOnly();
      } else if (letter.origin === 'parked') {
        await replayParked(manager, letter.payload);
      } else if (letter.origin === 'operations-task') {
        throw new Error(`dead letter ${id} is a task for operations: do it, then discard it`);
      } else if (replayInbound) {
        await replayInbound(letter.payload);
      } else {
        // Marking it replayed without taking it in again would lose it quietly.
        throw new Error(`dead letter ${id} (${letter.origin}) can only be replayed through the ingress`);
      }
      await manager.update(
        DeadLetterEntity,
        { id },
        { state: 'replayed', replayCount, resolvedAt: new Date(), resolvedBy: by },
      );
      if (letter.dossierId && (await manager.existsBy(DossierEntity, { id: letter.dossierId }))) {
        await new DossierLedger(manager).note(
          letter.dossierId,
          'operator',
          `replay ${letter.operation}`,
          `replayed by ${by}`,
          'operator',
        );
      }
      return true;
    });
  }

  async discard(id: string, by: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(DeadLetterEntity)
      .set({ state: 'discarded', resolvedAt: () => 'now()', resolvedBy: by })
      .where('id = :id AND state = :open', { id, open: 'open' })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async openIds(filter: DeadLetterFilter): Promise<string[]> {
    const qb = this.dataSource
      .createQueryBuilder(DeadLetterEntity, 'd')
      .select('d.id', 'id')
      .where("d.state = 'open'");
    if (filter.agencyCode) qb.andWhere('d.agency_code = :agencyCode', { agencyCode: filter.agencyCode });
    if (filter.errorCode) qb.andWhere('d.error_code = :errorCode', { errorCode: filter.errorCode });
    if (filter.errorSignature) qb.andWhere('d.error_signature = :sig', { sig: filter.errorSignature });
    if (filter.origin) qb.andWhere('d.origin = :origin', { origin: filter.origin });
    if (filter.from) qb.andWhere('d.created_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('d.created_at <= :to', { to: filter.to });
    const rows = await qb.orderBy('d.created_at', 'ASC').getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }
}
