import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  CloudEvent,
  EventValidator,
  normalizeDeep,
  PostalDossierCollectedData,
  PostalEventType,
  ValidationIssue,
} from '@bridge/domain';
import { AgencyEntity } from '@bridge/persistence';
import { DossierLedger } from '../lifecycle/dossier-ledger';
import { LifecycleOutcome } from '../lifecycle/lifecycle-input';
import { agencyValidityRefusal, vietnamDay } from './agency-validity';
import { MESSAGE_RECORDER, MessageRecorder, RecordedMessage } from '../common/message-recorder';
import { canonicalJson, inTransaction } from '../common/transaction';
import { GroupCommit } from '../common/group-commit';
import { claimInbox, inboxKey, InboxSettlement, inboxSettlement } from '../common/inbox-rows';
import { BridgeMetrics } from '../metrics/bridge-metrics';
import { canonicalIdentifiers } from './canonical-identifiers';
import { postalEventInput } from './postal-event-input';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { keepRefusedEvent } from './refused-event';

/** What became of one inbound postal event. */
export type IngressOutcome =
  | { kind: 'invalid'; errors: ValidationIssue[] }
  | { kind: 'duplicate'; eventId: string; dossierId?: string }
  | { kind: 'conflict'; eventId: string; reason: string }
  | { kind: 'refused'; eventId: string; reason: string; dossierId?: string }
  | { kind: 'accepted'; eventId: string; result: LifecycleOutcome };

/**
 * How long an agency found able to take dossiers is trusted without reading it again.
 * Agencies change rarely (the runtime refreshes its adapters every 2 s too); an agency not
 * found, retired or without an adapter is always read afresh, so refusals are never stale.
 */
const AGENCY_CACHE_MS = 2000;

type ValidEvent = CloudEvent<unknown, PostalEventType>;
/** A valid event to apply; `keepRefusal` makes its refusal a dead letter and an event out. */
type ValidItem = { event: ValidEvent; correlationId: string; keepRefusal?: boolean };

/** Options of {@link PostalIngressService.accept}. */
export interface AcceptOptions {
  /**
   * A refusal (agency not registered, a step the dossier cannot take) becomes a dead letter
   * and `postal.event_refused`, in the same transaction. For senders who get no answer (AMQP);
   * an HTTP sender reads the refusal in its 422.
   */
  keepRefusal?: boolean;
}

/** Nesting deeper than this is refused before anything walks the document recursively. */
export const MAX_EVENT_DEPTH = 32;

/**
 * Finds nesting deeper than `max` without recursion — a 100,000-level array is a few hundred
 * kilobytes of JSON and would overflow the stack of every recursive walker after it
 * (normalisation, schema validation); names the outer path where it happens — and text that
 * no database column can hold.
 */
function structureProblem(doc: unknown, max: number): ValidationIssue | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: doc, depth: 0, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, depth, path } = item;
    // PostgreSQL cannot store U+0000 in text or jsonb: refused here with its place, it would
    // otherwise fail the transaction every time the message is delivered again.
    if (typeof value === 'string' && value.includes('\u0000'))
      return { path: path || '/', message: 'contains a NUL character (U+0000)' };
    if (value === null || typeof value !== 'object') continue;
    if (depth >= max)
      return {
        path: path.split('/').slice(0, 3).join('/') || '/',
        message: `nests deeper than ${max} levels`,
      };
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000'))
        return { path: path || '/', message: 'has a field name with a NUL character' };
      stack.push({ value: child, depth: depth + 1, path: `${path}/${key}` });
    }
  }
  return undefined;
}

function conflict(event: ValidEvent): IngressOutcome {
  return {
    kind: 'conflict',
    eventId: event.id,
    reason: `event ${event.id} from ${event.source} was already received with different content; the first one stands`,
  };
}

/**
 * Postal ingress, the same for AMQP and HTTP: validate, deduplicate by (source, id), apply the
 * lifecycle, write timeline and outbox — all in one transaction. The caller acknowledges the
 * message (or answers 202) only after this resolves (docs/architecture.md, rule 1).
 */
@Injectable()
export class PostalIngressService {
  private readonly validator = new EventValidator();
  /** Events handed to `accept` at the same moment share a transaction. */
  private readonly groups = new GroupCommit((items: ValidItem[]) => this.applyValidEvents(items), {
    maxGroups: 3,
    maxSize: 32,
  });
  /** Active agencies with an adapter, by code, and when each was read. */
  private readonly activeAgencies = new Map<string, { agency: AgencyEntity; readAt: number }>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(MESSAGE_RECORDER) private readonly recorder?: MessageRecorder,
    @Optional() @Inject(BridgeMetrics) private readonly metrics?: BridgeMetrics,
    @Optional() @Inject(DeadLetterService) private readonly deadLetters?: DeadLetterService,
  ) {}

  /** Validates without applying; used to refuse a whole HTTP batch before touching anything. */
  validate(
    doc: unknown,
  ): { ok: true; event: CloudEvent<unknown, PostalEventType> } | { ok: false; errors: ValidationIssue[] } {
    const problem = structureProblem(doc, MAX_EVENT_DEPTH);
    if (problem) return { ok: false, errors: [problem] };
    return this.validator.validatePostalEvent(canonicalIdentifiers(normalizeDeep(doc)));
  }

  /** Accepts a batch atomically: every event is applied, or (on an error) none is. */
  async acceptBatch(docs: unknown[], correlationId: string = randomUUID()): Promise<IngressOutcome[]> {
    const outcomes = await this.applyBatch(docs.map((doc) => ({ doc, correlationId })));
    outcomes.forEach((o, i) =>
      this.metrics?.inboundEvent((docs[i] as { type?: string } | null)?.type, o.kind),
    );
    return outcomes;
  }

  /**
   * Accepts one event. Events accepted at the same moment (a consumer with many messages in
   * flight) share one transaction — a group commit: each gets its own outcome, and when the
   * shared transaction fails each is tried again on its own, so one bad event never holds
   * back the others.
   */
  async accept(doc: unknown, correlationId?: string, options: AcceptOptions = {}): Promise<IngressOutcome> {
    const v = this.validate(doc);
    const outcome = v.ok
      ? await this.groups.submit({
          event: v.event,
          correlationId: correlationId ?? v.event.correlationid ?? randomUUID(),
          keepRefusal: options.keepRefusal,
        })
      : ({ kind: 'invalid', errors: v.errors } as const);
    this.metrics?.inboundEvent((doc as { type?: string } | null)?.type, outcome.kind);
    return outcome;
  }

  /**
   * Takes in again an event the bridge refused before (a dead letter replayed once its cause
   * is mended): its refused inbox row is forgotten and the event applied in ONE transaction,
   * so a failure leaves the refusal on record as it was.
   */
  async acceptAgain(doc: unknown): Promise<IngressOutcome> {
    const v = this.validate(doc);
    if (!v.ok) return { kind: 'invalid', errors: v.errors };
    const [outcome] = await this.applyValidEvents(
      [{ event: v.event, correlationId: v.event.correlationid ?? randomUUID() }],
      { forgetRefused: true },
    );
    this.metrics?.inboundEvent(v.event.type, outcome.kind);
    return outcome;
  }

  /** Validates every event first: one invalid event refuses the whole batch, before anything is applied. */
  private async applyBatch(items: { doc: unknown; correlationId: string }[]): Promise<IngressOutcome[]> {
    const validated = items.map((item) => this.validate(item.doc));
    if (validated.some((v) => !v.ok)) {
      return validated.map((v) =>
        v.ok ? { kind: 'invalid', errors: [] } : { kind: 'invalid', errors: v.errors },
      );
    }
    return this.applyValidEvents(
      validated.map((v, i) => ({
        event: (v as { event: ValidEvent }).event,
        correlationId: items[i].correlationId,
      })),
    );
  }

  /**
   * Applies valid events in one transaction, in order, with the messages' log entries — a
   * fixed handful of statements whatever their number: the inbox rows are claimed at once,
   * every dossier the events name is locked at once, the ledger's writes go as one statement
   * and the inbox outcomes as another.
   */
  private async applyValidEvents(
    items: ValidItem[],
    options: { forgetRefused?: boolean } = {},
  ): Promise<IngressOutcome[]> {
    return inTransaction(this.dataSource, async (manager) => {
      if (options.forgetRefused)
        await manager.query(
          `DELETE FROM inbox i USING unnest($1::text[], $2::text[]) AS k(source, event_id)
            WHERE i.source = k.source AND i.event_id = k.event_id AND i.outcome = 'refused'`,
          [items.map(({ event }) => event.source), items.map(({ event }) => event.id)],
        );
      const hashes = items.map(({ event }) =>
        createHash('sha256').update(canonicalJson(event)).digest('hex'),
      );
      const claimed = await claimInbox(
        manager,
        items.map(({ event }, i) => ({
          source: event.source,
          eventId: event.id,
          type: event.type,
          contentHash: hashes[i],
        })),
      );
      const outcomes = new Array<IngressOutcome | undefined>(items.length);
      const firsts = new Map<string, number>();
      const fresh: number[] = [];
      items.forEach(({ event }, i) => {
        const key = inboxKey(event.source, event.id);
        const first = firsts.get(key);
        if (first === undefined && claimed.has(key)) {
          firsts.set(key, i);
          fresh.push(i);
        } else if (first !== undefined) {
          outcomes[i] =
            hashes[first] === hashes[i] ? { kind: 'duplicate', eventId: event.id } : conflict(event);
        }
      });
      await this.settleSeenBefore(manager, items, hashes, outcomes, claimed);

      const inputs = fresh.map((i) =>
        postalEventInput(
          items[i].event,
          items[i].event.correlationid ?? items[i].correlationId ?? items[i].event.id,
        ),
      );
      const ledger = new DossierLedger(manager, { deferred: true });
      await ledger.lockMany(
        inputs.flatMap((input) =>
          input.create
            ? [input.create.id, input.create.inboundItemId ?? ''].filter(Boolean)
            : input.ref
              ? [input.ref]
              : [],
        ),
      );
      const log: RecordedMessage[] = [];
      const settled: InboxSettlement[] = [];
      for (const [n, i] of fresh.entries()) {
        const { event } = items[i];
        log.push({
          channel: 'postal',
          direction: 'inbound',
          operation: event.type,
          correlationId: inputs[n].correlationId,
          body: JSON.stringify(event),
        });
        const refusal = await this.checkAgency(manager, event);
        if (refusal) {
          settled.push({
            source: event.source,
            eventId: event.id,
            outcome: 'refused',
            detail: refusal,
            dossierId: null,
          });
          outcomes[i] = { kind: 'refused', eventId: event.id, reason: refusal };
          await this.keepRefusal(manager, items[i], inputs[n].correlationId, refusal);
          continue;
        }
        const result = await ledger.apply(inputs[n]);
        settled.push({
          source: event.source,
          eventId: event.id,
          outcome: result.kind,
          detail: result.kind === 'parked' || result.kind === 'refused' ? result.reason : null,
          dossierId: result.dossierId ?? null,
        });
        outcomes[i] =
          result.kind === 'refused'
            ? { kind: 'refused', eventId: event.id, reason: result.reason, dossierId: result.dossierId }
            : { kind: 'accepted', eventId: event.id, result };
        if (result.kind === 'refused')
          await this.keepRefusal(manager, items[i], inputs[n].correlationId, result.reason, result.dossierId);
      }
      // The inbox outcomes and the log entries (staged, chained later) ride in the ledger's
      // statement: committed or rolled back with the state change, at no round trip of their own.
      ledger.alsoWrite(inboxSettlement(settled));
      ledger.alsoWrite(this.recorder?.staged(log));
      await ledger.flush();
      return outcomes as IngressOutcome[];
    });
  }

  private async keepRefusal(
    manager: EntityManager,
    item: ValidItem,
    correlationId: string,
    reason: string,
    dossierId?: string,
  ): Promise<void> {
    if (!item.keepRefusal) return;
    if (!this.deadLetters) throw new Error('refusals cannot be kept: no dead-letter service');
    await keepRefusedEvent(manager, this.deadLetters, {
      event: item.event,
      reason,
      correlationId,
      dossierId,
    });
  }

  /** Outcomes of events whose inbox row was there before this transaction: duplicates or conflicts. */
  private async settleSeenBefore(
    manager: EntityManager,
    items: { event: ValidEvent }[],
    hashes: string[],
    outcomes: (IngressOutcome | undefined)[],
    claimed: Set<string>,
  ): Promise<void> {
    const seen = items
      .map((item, i) => ({ ...item, i }))
      .filter(({ event, i }) => {
        return outcomes[i] === undefined && !claimed.has(inboxKey(event.source, event.id));
      });
    if (seen.length === 0) return;
    const previous = await manager.query<
      Array<{ source: string; event_id: string; content_hash: string; dossier_id: string | null }>
    >(
      `SELECT i.source, i.event_id, i.content_hash, i.dossier_id
         FROM inbox i JOIN unnest($1::text[], $2::text[]) AS k(source, event_id)
           ON i.source = k.source AND i.event_id = k.event_id`,
      [seen.map((s) => s.event.source), seen.map((s) => s.event.id)],
    );
    const byKey = new Map(previous.map((row) => [inboxKey(row.source, row.event_id), row]));
    for (const { event, i } of seen) {
      const row = byKey.get(inboxKey(event.source, event.id));
      outcomes[i] =
        row && row.content_hash !== hashes[i]
          ? conflict(event)
          : { kind: 'duplicate', eventId: event.id, dossierId: row?.dossier_id ?? undefined };
    }
  }

  /** A collected dossier must go to a registered, active agency that takes the procedure by post. */
  private async checkAgency(
    manager: EntityManager,
    event: CloudEvent<unknown, PostalEventType>,
  ): Promise<string | null> {
    if (event.type !== 'postal.dossier.collected') return null;
    const data = event.data as PostalDossierCollectedData;
    const agency = await this.agency(manager, data.agencyCode);
    if (!agency || agency.retiredAt)
      return `agency ${data.agencyCode} is not registered with the bridge (data.agencyCode)`;
    const ended = await agencyValidityRefusal(agency, vietnamDay(new Date()), (code) =>
      manager.findOneBy(AgencyEntity, { code }),
    );
    if (ended) return ended;
    if (agency.specVersion === null)
      return `agency ${data.agencyCode} has no adapter and takes no dossiers (data.agencyCode)`;
    const procedure = agency.procedures.find((p) => p.code === data.procedureCode);
    if (!procedure)
      return `agency ${data.agencyCode} does not list procedure ${data.procedureCode} (data.procedureCode)`;
    if (!procedure.byPost)
      return `procedure ${data.procedureCode} may not be handled by post at ${data.agencyCode}`;
    return null;
  }

  /** The agency, from the short-lived cache when it was active and had an adapter. */
  private async agency(manager: EntityManager, code: string): Promise<AgencyEntity | null> {
    const cached = this.activeAgencies.get(code);
    if (cached && Date.now() - cached.readAt < AGENCY_CACHE_MS) return cached.agency;
    const agency = await manager.findOneBy(AgencyEntity, { code });
    if (agency && !agency.retiredAt && agency.specVersion !== null)
      this.activeAgencies.set(code, { agency, readAt: Date.now() });
    else this.activeAgencies.delete(code);
    return agency;
  }
}
