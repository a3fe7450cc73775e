import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  AgencyStatusChange,
  ExchangedMessage,
  IntegrationError,
  IntegrationErrorCode,
  RejectedRecord,
} from '@bridge/adapter-sdk';
import { DossierLedger } from '../lifecycle/dossier-ledger';
import { LifecycleOutcome } from '../lifecycle/lifecycle-input';
import { MESSAGE_RECORDER, MessageRecorder } from '../common/message-recorder';
import { canonicalJson, inTransaction } from '../common/transaction';
import { agencyChangeInputs } from './agency-status-input';
import { DeadLetterService } from './dead-letter.service';
import { claimInbox, inboxKey, InboxSettlement, settleInbox } from '../common/inbox-rows';

/** What became of one agency status change. */
export interface ChangeOutcome {
  ref: string | undefined;
  outcome: LifecycleOutcome['kind'] | 'duplicate' | 'ignored';
  detail?: string;
}

/**
 * A push named a dossier of another agency: the whole push is refused (403) and nothing of it
 * is applied. Its message does not say whose dossier it is.
 */
export class ForeignDossierError extends IntegrationError {
  constructor(
    readonly refs: string[],
    agencyCode: string,
  ) {
    super(
      IntegrationErrorCode.PERMANENT,
      `${refs.join(', ')} ${refs.length === 1 ? 'is not a dossier' : 'are not dossiers'} of agency ${agencyCode}; nothing was applied`,
    );
    this.name = 'ForeignDossierError';
  }
}

/** Operation (after `<via>:`) of the dead letter of a change naming another agency's dossier. */
export const FOREIGN_DOSSIER_OPERATION = 'foreign-dossier';

/** One change of a batch, with what identifies it in the inbox. */
interface PendingChange {
  change: AgencyStatusChange;
  ref: string | undefined;
  eventId: string;
  contentHash: string;
}

/**
 * Applies status changes an agency reported — by polling, by callback or in a CSV file — in
 * one transaction per batch, deduplicated by (agency, change id) through the inbox. Records
 * the agency could not make usable go to the dead letters with their reason.
 *
 * A batch (a page of a status file holds thousands of changes) costs a handful of statements,
 * not a few per change: the inbox rows are claimed in one, the dossiers the batch names are
 * locked in one, the ledger gathers every transition and writes them in one, and the inbox
 * outcomes are recorded in one. Changes apply in the order given, so the changes of one
 * dossier apply in file order.
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
      /**
       * A change naming another agency's dossier: `throw` refuses the whole batch with a
       * {@link ForeignDossierError} (a push, answered 403); `dead-letter` (default) sends that
       * change to the dead letters with the reason and applies the rest (a polled page, a file).
       */
      onForeign?: 'throw' | 'dead-letter';
    } = { via: 'poll' },
  ): Promise<ChangeOutcome[]> {
    const correlationId = options.correlationId ?? randomUUID();
    const source = `agency:${agencyCode}`;
    const pending: PendingChange[] = changes.map((change) => {
      const contentHash = createHash('sha256').update(canonicalJson(change)).digest('hex');
      const ref = change.bridgeId ?? change.agencyDossierCode;
      return { change, ref, eventId: change.changeId ?? contentHash, contentHash };
    });
    return inTransaction(this.dataSource, async (manager) => {
      const fresh = await this.claim(manager, source, pending);
      const ledger = new DossierLedger(manager, { deferred: true });
      await ledger.lockMany(
        [...fresh].flatMap((p) => (p.ref ? [p.ref] : [])),
        agencyCode,
      );
      const foreign = [...fresh].filter((p) => p.ref && ledger.foreignOwner(p.ref, agencyCode));
      if (foreign.length > 0 && options.onForeign === 'throw')
        throw new ForeignDossierError([...new Set(foreign.map((p) => p.ref!))], agencyCode);
      const outcomes: ChangeOutcome[] = [];
      const settled: InboxSettlement[] = [];
      for (const p of pending) {
        if (!fresh.has(p)) {
          outcomes.push({ ref: p.ref, outcome: 'duplicate' });
          continue;
        }
        if (foreign.includes(p)) {
          const outcome = await this.refuseForeign(
            manager,
            agencyCode,
            p,
            ledger,
            options.via,
            correlationId,
          );
          outcomes.push(outcome);
          settled.push({
            source,
            eventId: p.eventId,
            outcome: 'refused',
            detail: outcome.detail!,
            dossierId: null,
          });
          continue;
        }
        const { outcome, dossierId } = await this.applyOne(ledger, agencyCode, p, correlationId, options.via);
        outcomes.push(outcome);
        settled.push({
          source,
          eventId: p.eventId,
          outcome: outcome.outcome,
          detail: outcome.detail ?? null,
          dossierId,
        });
      }
      await ledger.flush();
      await settleInbox(manager, settled);
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

  /** Claims the batch's inbox rows; returns the changes seen for the first time (not duplicates). */
  private async claim(
    manager: EntityManager,
    source: string,
    pending: PendingChange[],
  ): Promise<Set<PendingChange>> {
    const claimed = await claimInbox(
      manager,
      pending.map((p) => ({
        source,
        eventId: p.eventId,
        type: `agency.status.${p.change.status}`,
        contentHash: p.contentHash,
      })),
    );
    const fresh = new Set<PendingChange>();
    const firsts = new Set<string>();
    for (const p of pending) {
      // The same change twice in one batch is claimed by its first occurrence only.
      if (!claimed.has(inboxKey(source, p.eventId)) || firsts.has(p.eventId)) continue;
      firsts.add(p.eventId);
      fresh.add(p);
    }
    return fresh;
  }

  /** Sends a change naming another agency's dossier to the dead letters; applies nothing. */
  private async refuseForeign(
    manager: EntityManager,
    agencyCode: string,
    { change, ref }: PendingChange,
    ledger: DossierLedger,
    via: string,
    correlationId: string,
  ): Promise<ChangeOutcome> {
    const owner = ledger.foreignOwner(ref!, agencyCode)!;
    const detail = `${ref} names a dossier of agency ${owner}, not of ${agencyCode}: an agency may change only its own dossiers`;
    await this.deadLetters.record(manager, {
      origin: 'agency-record',
      agencyCode,
      operation: `${via}:${FOREIGN_DOSSIER_OPERATION}`,
      payload: { ...change },
      errorCode: 'PERMANENT',
      reason: detail,
      attempts: [],
      correlationId,
    });
    return { ref, outcome: 'refused', detail };
  }

  /** Applies one change through the ledger (which holds the batch's dossiers already). */
  private async applyOne(
    ledger: DossierLedger,
    agencyCode: string,
    { change, ref, eventId }: PendingChange,
    correlationId: string,
    via: string,
  ): Promise<{ outcome: ChangeOutcome; dossierId: string | null }> {
    const dossier = ref ? await ledger.lock(ref, agencyCode) : null;
    const { inputs, ignored } = agencyChangeInputs(
      agencyCode,
      { ...change, changeId: eventId },
      dossier?.status ?? null,
      correlationId,
    );
    let last: ChangeOutcome = { ref, outcome: 'ignored', detail: ignored };
    for (const input of inputs) {
      const result = await ledger.apply({
        ...input,
        detail: input.detail ? `${input.detail} (via ${via})` : `via ${via}`,
      });
      last = { ref, outcome: result.kind, detail: 'reason' in result ? result.reason : undefined };
      if (result.kind === 'refused' || result.kind === 'parked') break;
    }
    return { outcome: last, dossierId: dossier?.id ?? null };
  }
}
