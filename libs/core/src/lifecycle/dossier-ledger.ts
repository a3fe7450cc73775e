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

  constructor(private readonly manager: EntityManager) {
    this.outbox = new OutboxWriter(manager);
  }

  /** Finds and locks a dossier by bridge id, inbound or result S10, or agency dossier code. */
  async lock(ref: string, agencyCode?: string): Promise<DossierEntity | null> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
    const qb = this.manager
      .createQueryBuilder(DossierEntity, 'd')
      .setLock('pessimistic_write')
      .where(
        isUuid
          ? 'd.id = :ref'
          : 'd.inbound_item_id = :ref OR d.result_item_id = :ref OR d.agency_dossier_code = :ref',
        {
          ref,
        },
      );
    if (!isUuid && agencyCode)
      qb.andWhere('(d.agency_dossier_code IS NULL OR d.agency_code = :agencyCode)', { agencyCode });
    return qb.orderBy('d.created_at', 'ASC').getOne();
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

  private async findForCreation(input: LifecycleInput): Promise<DossierEntity | null> {
    const create = input.create!;
    if (create.inboundItemId) {
      const byItem = await this.lock(create.inboundItemId);
      if (byItem) return byItem;
    }
    return this.manager.findOne(DossierEntity, {
      where: { id: create.id },
      lock: { mode: 'pessimistic_write' },
    });
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

  /** Applies parked events of a dossier that now fit, until none does. */
  private async releaseParked(dossierId: string): Promise<void> {
    for (let round = 0; round < MAX_RELEASES; round++) {
      const dossier = await this.manager.findOneByOrFail(DossierEntity, { id: dossierId });
      const refs = [
        dossier.id,
        dossier.inboundItemId,
        dossier.resultItemId,
        dossier.agencyDossierCode,
      ].filter((r): r is string => !!r);
      const parked = await this.manager
        .createQueryBuilder(ParkedEventEntity, 'p')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where('p.dossier_ref IN (:...refs)', { refs })
        .orderBy('p.id', 'ASC')
        .getMany();
      let released = false;
      for (const entry of parked) {
        if (!isLifecycleEvent(entry.event)) continue;
        const input = { ...(entry.payload as unknown as LifecycleInput), ref: dossier.id };
        const outcome = await this.applyOne(input, false);
        if (outcome.kind === 'parked') continue;
        await this.manager.delete(ParkedEventEntity, { id: entry.id });
        if (outcome.kind === 'applied') {
          released = true;
          break; // the status moved: look at what is parked again from the new status
        }
      }
      if (!released) return;
    }
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
