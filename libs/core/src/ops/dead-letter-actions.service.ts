import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DeadLetterEntity } from '@bridge/persistence';
import { AgencyStatusChange, RejectedRecord } from '@bridge/adapter-sdk';
import { ADAPTER_PROVIDER, AdapterProvider } from '../delivery/adapter-provider';
import { AgencyChangesService, FOREIGN_DOSSIER_OPERATION } from '../delivery/agency-changes.service';
import { DeadLetterFilter, DeadLetterService } from '../delivery/dead-letter.service';
import { IngressOutcome, PostalIngressService } from '../ingress/postal-ingress.service';
import { PostalTrackingService } from '../ingress/postal-tracking.service';
import { ParkedReplayRefusedError } from '../lifecycle/parked-event-expiry';

/** What a replay or discard of one dead letter came to. */
export type DeadLetterActionResult =
  | { kind: 'done' }
  | { kind: 'not_found' }
  | { kind: 'not_open'; state: string }
  | { kind: 'refused'; reason: string };

/** Outcome of a replay by filter. */
export interface BulkReplayResult {
  replayed: number;
  /** Dead letters that matched but could not be replayed, each with the reason. */
  failed: Array<{ id: string; reason: string }>;
}

/** A dead letter whose replay cannot work; it stays open and the reason goes to the operator. */
export class ReplayRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ReplayRefusedError';
  }
}

/**
 * Replays and discards dead letters on an operator's word. A delivery is re-enqueued through
 * the outbox (DeadLetterService). A refused postal event (origin `inbound`, payload
 * `{ message: <CloudEvent> }`) is taken in again: its `refused` inbox row is deleted so the
 * (source, id) de-duplication lets it through, then it runs through the same ingress as any
 * postal event. When it is refused again the replay fails and the dead letter stays open;
 * ingress writes the `refused` inbox row back, so nothing is left half-done.
 */
@Injectable()
export class DeadLetterActionsService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
    @Inject(PostalIngressService) private readonly ingress: PostalIngressService,
    @Inject(PostalTrackingService) private readonly tracking: PostalTrackingService,
    @Inject(ADAPTER_PROVIDER) private readonly adapters: AdapterProvider,
    @Inject(AgencyChangesService) private readonly changes: AgencyChangesService,
  ) {}

  async replay(id: string, by: string): Promise<DeadLetterActionResult> {
    const letter = await this.dataSource.getRepository(DeadLetterEntity).findOneBy({ id });
    if (!letter) return { kind: 'not_found' };
    if (letter.state !== 'open') return { kind: 'not_open', state: letter.state };
    try {
      const replayed = await this.deadLetters.replay(id, by, (payload) =>
        letter.origin === 'agency-record'
          ? this.reapplyRecord(letter.agencyCode, letter.operation, payload)
          : this.reingest(payload),
      );
      // Someone else replayed or discarded it between our read and the locked one.
      return replayed ? { kind: 'done' } : { kind: 'not_open', state: 'resolved meanwhile' };
    } catch (error) {
      if (error instanceof ReplayRefusedError || error instanceof ParkedReplayRefusedError)
        return { kind: 'refused', reason: error.message };
      throw error;
    }
  }

  /** Replays every open dead letter matching the filter, oldest first. */
  async replayMatching(filter: DeadLetterFilter, by: string): Promise<BulkReplayResult> {
    const result: BulkReplayResult = { replayed: 0, failed: [] };
    for (const id of await this.deadLetters.openIds(filter)) {
      const outcome = await this.replay(id, by);
      if (outcome.kind === 'done') result.replayed++;
      else if (outcome.kind === 'refused') result.failed.push({ id, reason: outcome.reason });
    }
    return result;
  }

  async discard(id: string, by: string): Promise<DeadLetterActionResult> {
    if (await this.deadLetters.discard(id, by)) return { kind: 'done' };
    const letter = await this.dataSource.getRepository(DeadLetterEntity).findOneBy({ id });
    return letter ? { kind: 'not_open', state: letter.state } : { kind: 'not_found' };
  }

  /**
   * A record the agency sent that did not map (an unknown status code, say), read again with
   * the agency file in force now and applied like any agency change; refused, changing
   * nothing, when it still does not map. A change that named another agency's dossier is never
   * replayed: no agency file makes it that agency's to change.
   */
  private async reapplyRecord(
    agencyCode: string | null,
    operation: string,
    payload: Record<string, unknown>,
  ): Promise<void> {
    if (operation.endsWith(`:${FOREIGN_DOSSIER_OPERATION}`))
      throw new ReplayRefusedError(
        `it names a dossier of another agency, which ${agencyCode ?? 'this agency'} may not change; nothing can be replayed, discard this dead letter (and take it up with the agency)`,
      );
    await this.adapters.refresh?.();
    const adapter = agencyCode ? this.adapters.adapterFor(agencyCode) : undefined;
    if (!adapter?.readRejected || !payload.record)
      throw new ReplayRefusedError(
        'this record cannot be read again by the bridge; have the agency send it again, then discard this dead letter',
      );
    let change: AgencyStatusChange;
    try {
      change = await adapter.readRejected(payload as unknown as RejectedRecord);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ReplayRefusedError(`still unusable with the current agency file: ${reason}`);
    }
    const [outcome] = await this.changes.apply(agencyCode!, [change], { via: 'replay' });
    if (outcome.outcome === 'refused')
      throw new ReplayRefusedError(`the agency's change was refused: ${outcome.detail ?? 'no reason given'}`);
  }

  private async reingest(payload: Record<string, unknown>): Promise<void> {
    const message = payload.message as { source?: unknown; id?: unknown } | undefined;
    if (!message || typeof message !== 'object')
      throw new ReplayRefusedError(
        'the dead letter holds no postal event to take in again (payload.message)',
      );
    if (PostalTrackingService.isRaw(message)) {
      const raw = await this.tracking.accept(message);
      if (raw.kind === 'invalid' || raw.kind === 'unmapped')
        throw new ReplayRefusedError(
          `the raw tracking event is still not usable: ${raw.kind === 'invalid' ? raw.errors.map((e) => `${e.path}: ${e.message}`).join('; ') : raw.reason}`,
        );
      return;
    }
    const outcome = await this.ingress.acceptAgain(message);
    if (outcome.kind !== 'accepted' && outcome.kind !== 'duplicate')
      throw new ReplayRefusedError(`the postal event is still not accepted: ${reasonOf(outcome)}`);
  }
}

function reasonOf(outcome: Exclude<IngressOutcome, { kind: 'accepted' | 'duplicate' }>): string {
  if (outcome.kind === 'invalid')
    return outcome.errors.map((e) => `${e.path}: ${e.message}`).join('; ') || 'invalid event';
  return outcome.reason;
}
