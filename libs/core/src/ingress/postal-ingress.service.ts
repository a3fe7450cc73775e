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
import { AgencyEntity, InboxEntryEntity } from '@bridge/persistence';
import { DossierLedger } from '../lifecycle/dossier-ledger';
import { LifecycleOutcome } from '../lifecycle/lifecycle-input';
import { MESSAGE_RECORDER, MessageRecorder, RecordedMessage } from '../shared/message-recorder';
import { canonicalJson, inTransaction } from '../shared/transaction';
import { BridgeMetrics } from '../metrics/bridge-metrics';
import { canonicalIdentifiers } from './canonical-identifiers';
import { postalEventInput } from './postal-event-input';

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

/** Nesting deeper than this is refused before anything walks the document recursively. */
export const MAX_EVENT_DEPTH = 32;

/**
 * Finds nesting deeper than `max` without recursion: a 100,000-level array is a few hundred
 * kilobytes of JSON and would overflow the stack of every recursive walker after it
 * (normalisation, schema validation). Names the outer path where it happens.
 */
function nestingProblem(doc: unknown, max: number): ValidationIssue | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: doc, depth: 0, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, depth, path } = item;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= max) return { path: path || '/', message: `nests deeper than ${max} levels` };
    for (const [key, child] of Object.entries(value))
      stack.push({ value: child, depth: depth + 1, path: depth < 2 ? `${path}/${key}` : path });
  }
  return undefined;
}

/**
 * Postal ingress, the same for AMQP and HTTP: validate, deduplicate by (source, id), apply the
 * lifecycle, write timeline and outbox — all in one transaction. The caller acknowledges the
 * message (or answers 202) only after this resolves (reliability rule 1).
 */
@Injectable()
export class PostalIngressService {
  private readonly validator = new EventValidator();
  /** Active agencies with an adapter, by code, and when each was read. */
  private readonly activeAgencies = new Map<string, { agency: AgencyEntity; readAt: number }>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(MESSAGE_RECORDER) private readonly recorder?: MessageRecorder,
    @Optional() @Inject(BridgeMetrics) private readonly metrics?: BridgeMetrics,
  ) {}

  /** Validates without applying; used to refuse a whole HTTP batch before touching anything. */
  validate(
    doc: unknown,
  ): { ok: true; event: CloudEvent<unknown, PostalEventType> } | { ok: false; errors: ValidationIssue[] } {
    const deep = nestingProblem(doc, MAX_EVENT_DEPTH);
    if (deep) return { ok: false, errors: [deep] };
    return this.validator.validatePostalEvent(canonicalIdentifiers(normalizeDeep(doc)));
  }

  /** Accepts a batch atomically: every event is applied, or (on an error) none is. */
  async acceptBatch(docs: unknown[], correlationId: string = randomUUID()): Promise<IngressOutcome[]> {
    const outcomes = await this.applyBatch(docs, correlationId);
    outcomes.forEach((o, i) =>
      this.metrics?.inboundEvent((docs[i] as { type?: string } | null)?.type, o.kind),
    );
    return outcomes;
  }

  private async applyBatch(docs: unknown[], correlationId: string): Promise<IngressOutcome[]> {
    const validated = docs.map((doc) => this.validate(doc));
    if (validated.some((v) => !v.ok)) {
      return validated.map((v) =>
        v.ok ? { kind: 'invalid', errors: [] } : { kind: 'invalid', errors: v.errors },
      );
    }
    return inTransaction(this.dataSource, async (manager) => {
      const outcomes: IngressOutcome[] = [];
      const log: RecordedMessage[] = [];
      for (const v of validated)
        outcomes.push(
          await this.applyValid(
            manager,
            (v as { event: CloudEvent<unknown, PostalEventType> }).event,
            correlationId,
            log,
          ),
        );
      // Staged with the state change (committed or rolled back together); chained later.
      await this.recorder?.append(log, manager);
      return outcomes;
    });
  }

  /** Accepts one event. */
  async accept(doc: unknown, correlationId?: string): Promise<IngressOutcome> {
    const [outcome] = await this.acceptBatch(
      [doc],
      correlationId ?? (doc as { correlationid?: string })?.correlationid,
    );
    return outcome;
  }

  private async applyValid(
    manager: EntityManager,
    event: CloudEvent<unknown, PostalEventType>,
    correlationId: string,
    log: RecordedMessage[],
  ): Promise<IngressOutcome> {
    const contentHash = createHash('sha256').update(canonicalJson(event)).digest('hex');
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(InboxEntryEntity)
      .values({ source: event.source, eventId: event.id, type: event.type, contentHash, outcome: 'pending' })
      .orIgnore()
      .returning(['event_id'])
      .execute();
    if ((inserted.raw as unknown[]).length === 0) {
      const previous = await manager.findOneByOrFail(InboxEntryEntity, {
        source: event.source,
        eventId: event.id,
      });
      if (previous.contentHash !== contentHash) {
        return {
          kind: 'conflict',
          eventId: event.id,
          reason: `event ${event.id} from ${event.source} was already received with different content; the first one stands`,
        };
      }
      return { kind: 'duplicate', eventId: event.id, dossierId: previous.dossierId ?? undefined };
    }

    const corr = event.correlationid ?? correlationId ?? event.id;
    log.push({
      channel: 'postal',
      direction: 'inbound',
      operation: event.type,
      correlationId: corr,
      body: JSON.stringify(event),
    });

    const refusal = await this.checkAgency(manager, event);
    if (refusal) {
      await manager.update(
        InboxEntryEntity,
        { source: event.source, eventId: event.id },
        { outcome: 'refused', detail: refusal },
      );
      return { kind: 'refused', eventId: event.id, reason: refusal };
    }

    const result = await new DossierLedger(manager).apply(postalEventInput(event, corr));
    const detail = result.kind === 'parked' || result.kind === 'refused' ? result.reason : null;
    await manager.update(
      InboxEntryEntity,
      { source: event.source, eventId: event.id },
      { outcome: result.kind, detail, dossierId: result.dossierId ?? null },
    );
    if (result.kind === 'refused')
      return { kind: 'refused', eventId: event.id, reason: result.reason, dossierId: result.dossierId };
    return { kind: 'accepted', eventId: event.id, result };
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
