import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DossierStatus } from '@bridge/domain';
import { AgencyStatusChange, ExchangedMessage, RejectedRecord } from '@bridge/adapter-sdk';
import { DossierEntity, InboxEntryEntity } from '@bridge/persistence';
import { DossierLedger } from '../lifecycle/dossier-ledger';
import { LifecycleOutcome } from '../lifecycle/lifecycle-input';
import { MESSAGE_RECORDER, MessageRecorder } from '../shared/message-recorder';
import { canonicalJson, inTransaction } from '../shared/transaction';
import { agencyChangeInputs } from './agency-status-input';
import { DeadLetterService } from './dead-letter.service';
import { isUuid } from '../shared/uuid';

/** What became of one agency status change. */
export interface ChangeOutcome {
  ref: string | undefined;
  outcome: LifecycleOutcome['kind'] | 'duplicate' | 'ignored';
  detail?: string;
}

/**
 * Applies status changes an agency reported — by polling, by callback or in a CSV file — in
 * one transaction per batch, deduplicated by (agency, change id) through the inbox. Records
 * the agency could not make usable go to the dead letters with their reason.
 */
@Injectable()
export class AgencyChangesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
    @Optional() @Inject(MESSAGE_RECORDER) private readonly recorder?: MessageRecorder,
  ) {}

  async apply(
    agencyCode: string,
    changes: AgencyStatusChange[],
    options: {
      rejected?: RejectedRecord[];
      messages?: ExchangedMessage[];
      correlationId?: string;
      via: string;
    } = { via: 'poll' },
  ): Promise<ChangeOutcome[]> {
    const correlationId = options.correlationId ?? randomUUID();
    return inTransaction(this.dataSource, async (manager) => {
      const outcomes: ChangeOutcome[] = [];
      for (const change of changes)
        outcomes.push(await this.applyOne(manager, agencyCode, change, correlationId, options.via));
      for (const record of options.rejected ?? []) {
        await this.deadLetters.record(manager, {
          origin: 'agency-record',
          agencyCode,
          operation: `${options.via}:${record.source}`,
          payload: { ...record },
          errorCode: 'PERMANENT',
          reason: record.line
            ? `${record.source} line ${record.line}: ${record.reason}`
            : `${record.source}: ${record.reason}`,
          attempts: [],
          correlationId,
        });
      }
      // Staged with the state change; the chainer hashes it in later (MessageLogService.append).
      await this.recorder?.append(
        (options.messages ?? []).map((m) => ({
          channel: 'agency' as const,
          direction: m.direction,
          agencyCode,
          operation: m.operation,
          correlationId,
          status: m.status === undefined ? undefined : String(m.status),
          body: m.body,
        })),
        manager,
      );
      return outcomes;
    });
  }

  private async applyOne(
    manager: EntityManager,
    agencyCode: string,
    change: AgencyStatusChange,
    correlationId: string,
    via: string,
  ): Promise<ChangeOutcome> {
    const ref = change.bridgeId ?? change.agencyDossierCode;
    const contentHash = createHash('sha256').update(canonicalJson(change)).digest('hex');
    const eventId = change.changeId ?? contentHash;
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(InboxEntryEntity)
      .values({
        source: `agency:${agencyCode}`,
        eventId,
        type: `agency.status.${change.status}`,
        contentHash,
        outcome: 'pending',
      })
      .orIgnore()
      .returning(['event_id'])
      .execute();
    if ((inserted.raw as unknown[]).length === 0) return { ref, outcome: 'duplicate' };

    // `d.id::text = :ref` would defeat every index (a sequential scan per change); a ref that is
    // not a UUID can only be the agency's own code.
    const byCode = '(d.agency_dossier_code = :ref AND d.agency_code = :agencyCode)';
    const dossier = ref
      ? await manager
          .createQueryBuilder(DossierEntity, 'd')
          // The id gets its own parameter: one parameter cast to uuid would be typed uuid everywhere,
          // and `agency_dossier_code = $1` would then fail (text = uuid).
          .where(isUuid(ref) ? `d.id = CAST(:refId AS uuid) OR ${byCode}` : byCode, {
            ref,
            refId: ref,
            agencyCode,
          })
          .getOne()
      : null;
    const { inputs, ignored } = agencyChangeInputs(
      agencyCode,
      { ...change, changeId: eventId },
      (dossier?.status as DossierStatus | undefined) ?? null,
      correlationId,
    );
    let last: ChangeOutcome = { ref, outcome: 'ignored', detail: ignored };
    const ledger = new DossierLedger(manager);
    for (const input of inputs) {
      const result = await ledger.apply({
        ...input,
        detail: input.detail ? `${input.detail} (via ${via})` : `via ${via}`,
      });
      last = { ref, outcome: result.kind, detail: 'reason' in result ? result.reason : undefined };
      if (result.kind === 'refused' || result.kind === 'parked') break;
    }
    await manager.update(
      InboxEntryEntity,
      { source: `agency:${agencyCode}`, eventId },
      { outcome: last.outcome, detail: last.detail ?? null, dossierId: dossier?.id ?? null },
    );
    return last;
  }
}
