import { EntityManager } from 'typeorm';
import {
  decide,
  Dossier,
  DossierEventData,
  dossierEventType,
  DossierStatus,
  isLifecycleEvent,
  LifecycleEvent,
} from '@bridge/domain';
import {
  DossierEntity,
  JsonObject,
  ParkedEventEntity,
  TimelineEntryEntity,
  TimelineKind,
} from '@bridge/persistence';
import { bridgeEvent, deterministicUuid, OutboxWriter } from '../outbox/outbox-writer';
import { LifecycleInput, LifecycleOutcome } from './lifecycle-input';
import { reactionsTo } from './reactions';
import { isUuid } from '../shared/uuid';

/** A `dossiers` row as PostgreSQL returns it. */
interface DossierRow {
  id: string;
  inbound_item_id: string | null;
  result_item_id: string | null;
  agency_code: string;
  procedure_code: string;
  agency_dossier_code: string | null;
  service_option: string;
  status: string;
  sequence: number;
  appointment_date: Date | null;
  snapshot: Dossier;
  created_at: Date;
  updated_at: Date;
}

function toEntity(row: DossierRow): DossierEntity {
  return Object.assign(new DossierEntity(), {
    id: row.id,
    inboundItemId: row.inbound_item_id,
    resultItemId: row.result_item_id,
    agencyCode: row.agency_code,
    procedureCode: row.procedure_code,
    agencyDossierCode: row.agency_dossier_code,
    serviceOption: row.service_option,
    status: row.status,
    sequence: row.sequence,
    appointmentDate: row.appointment_date,
    snapshot: row.snapshot,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** How many parked events one change may release in a row (guards against a loop). */
const MAX_RELEASES = 50;

/**
 * Applies lifecycle events to dossiers inside the caller's transaction: locks the dossier,
 * asks the lifecycle table, updates the snapshot, appends to the timeline, writes the
 * normalized event and follow-up jobs to the outbox, parks early events and releases them
 * when their predecessor arrives. Nothing here commits: the caller's transaction does,
 * and only then is the inbound message acknowledged (reliability rule 1).
 */
export class DossierLedger {
  private readonly outbox: OutboxWriter;
  /** The refs (id, item ids, agency code) of each dossier as this ledger last wrote it. */
  private readonly written = new Map<string, string[]>();
  /** Dossiers written (hence locked) by this ledger in the current transaction, as written. */
  private readonly held = new Map<string, DossierEntity>();

  constructor(private readonly manager: EntityManager) {
    this.outbox = new OutboxWriter(manager);
  }

  /**
   * Finds and locks a dossier by bridge id, inbound or result S10, or agency dossier code. A
   * dossier this ledger has written in the current transaction is locked already: it is
   * returned as written, without another round trip.
   */
  async lock(ref: string, agencyCode?: string): Promise<DossierEntity | null> {
    const byId = isUuid(ref);
    if (byId) {
      const held = this.held.get(ref);
      if (held) return held;
    }
    const params: unknown[] = [ref];
    let where = byId
      ? 'id = $1'
      : '(inbound_item_id = $1 OR result_item_id = $1 OR agency_dossier_code = $1)';
    if (!byId && agencyCode) {
      params.push(agencyCode);
      where += ' AND (agency_dossier_code IS NULL OR agency_code = $2)';
    }
    const rows = await this.manager.query<DossierRow[]>(
      `SELECT * FROM dossiers WHERE ${where} ORDER BY created_at ASC LIMIT 1 FOR UPDATE`,
      params,
    );
    return rows.length ? toEntity(rows[0]) : null;
  }

  /** Applies one input and every parked event it releases. */
  async apply(input: LifecycleInput): Promise<LifecycleOutcome> {
    const outcome = await this.applyOne(input, true);
    if (outcome.kind === 'applied') await this.releaseParked(outcome.dossierId);
    return outcome;
  }

  private async applyOne(input: LifecycleInput, parkIfEarly: boolean): Promise<LifecycleOutcome> {
    const existing = input.create
      ? await this.findForCreation(input)
      : input.ref
        ? await this.lock(input.ref, input.agencyCode)
        : null;
    const decision = decide((existing?.status as DossierStatus | undefined) ?? null, input.event);

    switch (decision.kind) {
      case 'apply':
        return this.transition(existing, input, decision.to);
      case 'note': {
        await this.timeline(existing!.id, 'note', input, { detail: input.detail });
        for (const job of reactionsTo(input, existing!.snapshot)) await this.outbox.job(job);
        return { kind: 'noted', dossierId: existing!.id, status: existing!.status };
      }
      case 'park': {
        if (!parkIfEarly) return { kind: 'parked', dossierId: existing?.id, reason: decision.reason };
        await this.manager.insert(ParkedEventEntity, {
          dossierRef: existing?.id ?? input.ref ?? '',
          dossierId: existing?.id ?? null,
          event: input.event,
          payload: input as unknown as JsonObject,
          reason: decision.reason,
        });
        if (existing) await this.timeline(existing.id, 'parked', input, { detail: decision.reason });
        return { kind: 'parked', dossierId: existing?.id, reason: decision.reason };
      }
      case 'refuse': {
        if (existing) await this.timeline(existing.id, 'refused', input, { detail: decision.reason });
        return { kind: 'refused', dossierId: existing?.id, reason: decision.reason };
      }
    }
  }

  /** The dossier a creating event refers to: by its inbound S10 first, else by its id (one query). */
  private async findForCreation(input: LifecycleInput): Promise<DossierEntity | null> {
    const create = input.create!;
    if (!create.inboundItemId) return this.lock(create.id);
    const rows = await this.manager.query<DossierRow[]>(
      `SELECT * FROM dossiers
        WHERE inbound_item_id = $1 OR result_item_id = $1 OR agency_dossier_code = $1 OR id = $2
        ORDER BY (id = $2 AND inbound_item_id IS DISTINCT FROM $1 AND result_item_id IS DISTINCT FROM $1
                  AND agency_dossier_code IS DISTINCT FROM $1), created_at ASC
        FOR UPDATE`,
      [create.inboundItemId, create.id],
    );
    return rows.length ? toEntity(rows[0]) : null;
  }

  private async transition(
    existing: DossierEntity | null,
    input: LifecycleInput,
    to: DossierStatus,
  ): Promise<LifecycleOutcome> {
    const previous = existing?.snapshot ?? null;
    const sequence = (previous?.sequence ?? 0) + 1;
    const base: Dossier = previous ?? { ...input.create!, status: to, sequence: 0, timestamps: {} };
    const dossier: Dossier = {
      ...base,
      ...stripUndefined(input.patch ?? {}),
      status: to,
      sequence,
      timestamps: { ...base.timestamps, [to]: input.occurredAt },
    };

    const row = {
      id: dossier.id,
      inboundItemId: dossier.inboundItemId ?? null,
      resultItemId: dossier.resultItemId ?? null,
      agencyCode: dossier.agencyCode,
      procedureCode: dossier.procedureCode,
      agencyDossierCode: dossier.agencyDossierCode ?? null,
      serviceOption: dossier.serviceOption,
      status: to,
      sequence,
      appointmentDate: dossier.appointmentDate ? new Date(dossier.appointmentDate) : null,
      snapshot: dossier,
    };
    if (existing) await this.manager.update(DossierEntity, { id: dossier.id }, row);
    else await this.manager.insert(DossierEntity, row);
    this.held.set(dossier.id, Object.assign(existing ?? new DossierEntity(), row));
    this.written.set(
      dossier.id,
      [row.id, row.inboundItemId, row.resultItemId, row.agencyDossierCode].filter((r): r is string => !!r),
    );

    await this.timeline(dossier.id, 'status', input, {
      from: previous?.status ?? null,
      to,
      sequence,
      detail: input.detail,
    });
    const data: DossierEventData = {
      dossier,
      previousStatus: previous?.status ?? null,
      sequence,
      cause: { event: input.event, eventId: input.eventId, detail: input.detail },
    };
    await this.outbox.event(
      bridgeEvent(dossierEventType(to), deterministicUuid(`${dossier.id}:${sequence}`), data, {
        subject: dossier.id,
        time: input.occurredAt,
        correlationId: input.correlationId,
      }),
      dossier.id,
    );
    for (const job of reactionsTo(input, dossier)) await this.outbox.job(job);
    return { kind: 'applied', dossierId: dossier.id, status: to, sequence };
  }

  /**
   * Applies parked events of a dossier that now fit, until none does. The dossier's refs come
   * from the row this ledger just wrote (it holds the row lock), not from reading it back.
   */
  private async releaseParked(dossierId: string): Promise<void> {
    for (let round = 0; round < MAX_RELEASES; round++) {
      const refs = this.written.get(dossierId) ?? (await this.refsOf(dossierId));
      const parked = await this.manager.query<Array<{ id: string; event: string; payload: JsonObject }>>(
        `SELECT id, event, payload FROM parked_events WHERE dossier_ref = ANY($1::text[])
          ORDER BY id FOR UPDATE SKIP LOCKED`,
        [refs],
      );
      let released = false;
      for (const entry of parked) {
        if (!isLifecycleEvent(entry.event)) continue;
        const input = { ...(entry.payload as unknown as LifecycleInput), ref: dossierId };
        const outcome = await this.applyOne(input, false);
        if (outcome.kind === 'parked') continue;
        await this.manager.query('DELETE FROM parked_events WHERE id = $1', [entry.id]);
        if (outcome.kind === 'applied') {
          released = true;
          break; // the status moved: look at what is parked again from the new status
        }
      }
      if (!released) return;
    }
  }

  private async refsOf(dossierId: string): Promise<string[]> {
    const dossier = await this.manager.findOneByOrFail(DossierEntity, { id: dossierId });
    return [dossier.id, dossier.inboundItemId, dossier.resultItemId, dossier.agencyDossierCode].filter(
      (r): r is string => !!r,
    );
  }

  private async timeline(
    dossierId: string,
    kind: TimelineKind,
    input: Pick<LifecycleInput, 'event' | 'origin' | 'eventId' | 'occurredAt'>,
    extra: { from?: string | null; to?: string; sequence?: number; detail?: string },
  ): Promise<void> {
    await this.manager.insert(TimelineEntryEntity, {
      dossierId,
      kind,
      event: input.event,
      origin: input.origin,
      fromStatus: extra.from ?? null,
      toStatus: extra.to ?? null,
      sequence: extra.sequence ?? null,
      eventId: input.eventId ?? null,
      detail: extra.detail ?? null,
      occurredAt: new Date(input.occurredAt),
    });
  }

  /** Records an operational line on a dossier's timeline (a failed delivery, a dead letter). */
  async note(
    dossierId: string,
    kind: TimelineKind,
    event: string,
    detail: string,
    origin = 'bridge',
  ): Promise<void> {
    await this.timeline(
      dossierId,
      kind,
      { event: event as LifecycleEvent, origin: origin as 'bridge', occurredAt: new Date().toISOString() },
      { detail },
    );
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
