import { EntityManager } from 'typeorm';
import {
  decide,
  Dossier,
  DossierEventData,
  PORTAL_CODE_OF_STATUS,
  dossierEventType,
  DossierStatus,
  isLifecycleEvent,
  LifecycleEvent,
} from '@bridge/domain';
import { DossierEntity, TimelineKind } from '@bridge/persistence';
import { bridgeEvent, deterministicUuid, eventRow, jobRow } from '../outbox/outbox-writer';
import {
  ChangeWrites,
  DossierColumns,
  noWrites,
  ParkedColumns,
  ParkedRow,
  TimelineColumns,
  writeChanges,
} from './change-statement';
import { LifecycleInput, LifecycleOutcome } from './lifecycle-input';
import { reactionsTo } from './reactions';
import { isUuid } from '../shared/uuid';
import { preparedQuery } from '../shared/prepared-query';
import { DOSSIER_COLUMNS, DossierRow, lockScoped, toEntity } from './dossier-rows';

export { DOSSIER_COLUMNS, DossierRow, toEntity } from './dossier-rows';

/** How many rounds of parked events one write may release (guards against a loop). */
const MAX_RELEASES = 50;

/** Options of a {@link DossierLedger}. */
export interface LedgerOptions {
  /**
   * Keep every write in memory until {@link DossierLedger.flush}: a batch of inputs (a group
   * of postal events, a page of agency changes) then costs one write statement, not one per
   * change. Without it each `apply` and `note` writes at once.
   */
  deferred?: boolean;
}

/**
 * Applies lifecycle events to dossiers inside the caller's transaction: locks the dossier,
 * asks the lifecycle table, updates the snapshot, appends to the timeline, writes the
 * normalized event and follow-up jobs to the outbox, parks early events and releases them
 * when their predecessor arrives. Nothing here commits: the caller's transaction does,
 * and only then is the inbound message acknowledged (docs/architecture.md, rule 1).
 *
 * Dossiers the ledger has locked (one by one, or many at once with {@link lockMany}) are kept
 * as they stand, by every ref, so later inputs of the same transaction find them without a
 * query. Writes are gathered and sent as one statement ({@link writeChanges}); that statement
 * also returns the parked events filed under the refs of the dossiers it changed, which are
 * then applied in turn. Parked events already known (loaded with the dossiers, or parked by
 * this ledger) are released right after the change they wait for.
 */
export class DossierLedger {
  /** Dossiers locked in the caller's transaction, as they stand now (written or not). */
  private readonly held = new Map<string, DossierEntity>();
  /** Ids of held dossiers by item id and agency dossier code, oldest first. */
  private readonly byRef = new Map<string, string[]>();
  /** Refs whose dossiers are all held (looked up already): a miss needs no query. */
  private readonly resolved = new Set<string>();
  /** Refs looked up for an agency that name another agency's dossier (and none of its own). */
  private readonly foreign = new Map<string, string>();
  /** Held dossiers that have a row in the database (the others are inserted on flush). */
  private readonly stored = new Set<string>();
  /** Parked events known under each ref (locked), not yet released. */
  private readonly parkedByRef = new Map<string, ParkedRow[]>();
  /** Refs whose parked events are known. */
  private readonly parkedChecked = new Set<string>();
  /** Dossiers changed since the last flush whose refs were not all checked for parked events. */
  private readonly uncheckedDossiers = new Set<string>();
  /** Events parked by this ledger (not yet written), by their local id. */
  private readonly localParks = new Map<string, LocalPark>();
  private writes: ChangeWrites = noWrites();
  private readonly dirty = new Set<string>();
  private nextLocalPark = 0;
  private readonly deferred: boolean;

  constructor(
    private readonly manager: EntityManager,
    options: LedgerOptions = {},
  ) {
    this.deferred = options.deferred ?? false;
  }

  /**
   * Tells the ledger that the caller's transaction holds the row lock of this dossier (read
   * with `FOR UPDATE`): inputs naming it find it without another query.
   */
  hold(dossier: DossierEntity): void {
    this.keep(dossier, true);
  }

  /**
   * Locks, in one query, every dossier any of `refs` names (bridge id, inbound or result S10,
   * agency dossier code), with the parked events filed under their refs, so the inputs that
   * follow need no query of their own. With `agencyCode`, only that agency's dossiers are
   * locked; refs that name another agency's dossier are remembered ({@link foreignOwner}).
   */
  async lockMany(refs: readonly string[], agencyCode?: string): Promise<void> {
    const ids = [...new Set(refs.filter(isUuid))];
    const others = [...new Set(refs.filter((r) => !isUuid(r)))];
    const wanted = [...ids, ...others].filter((r) => !this.resolved.has(r));
    if (wanted.length === 0) return;
    let rows: DossierRow[];
    if (agencyCode) {
      const scoped = await lockScoped(this.manager, ids, others, agencyCode);
      rows = scoped.own;
      for (const [ref, owner] of scoped.foreign) this.foreign.set(ref, owner);
    } else {
      rows = await preparedQuery<DossierRow[]>(
        this.manager,
        `SELECT ${DOSSIER_COLUMNS} FROM dossiers
          WHERE id = ANY($1::uuid[]) OR inbound_item_id = ANY($2::text[]) OR result_item_id = ANY($2::text[])
             OR agency_dossier_code = ANY($2::text[])
          ORDER BY created_at ASC FOR UPDATE`,
        [ids, others],
      );
    }
    for (const row of rows) if (!this.held.has(row.id)) this.keep(toEntity(row), true);
    for (const ref of wanted) this.resolved.add(ref);
    const parkedRefs = new Set<string>(wanted);
    for (const row of rows) for (const ref of refsOf(this.held.get(row.id)!)) parkedRefs.add(ref);
    const unchecked = [...parkedRefs].filter((r) => !this.parkedChecked.has(r));
    if (unchecked.length === 0) return;
    const parked = await preparedQuery<ParkedRow[]>(
      this.manager,
      `SELECT id, event, payload, dossier_ref FROM parked_events
        WHERE dossier_ref = ANY($1::text[]) ORDER BY id FOR UPDATE SKIP LOCKED`,
      [unchecked],
    );
    this.knowParked(unchecked, parked);
  }

  /**
   * Finds and locks a dossier by bridge id, inbound or result S10, or agency dossier code. With
   * `agencyCode`, only a dossier of that agency is found (two agencies may issue the same code,
   * and no agency may reach another's dossier). A dossier this ledger holds is returned as it
   * stands, without a query.
   */
  async lock(ref: string, agencyCode?: string): Promise<DossierEntity | null> {
    const known = this.findHeld(ref, agencyCode);
    if (known || this.resolved.has(ref)) return known;
    if (agencyCode) {
      await this.lockMany([ref], agencyCode);
      return this.findHeld(ref, agencyCode);
    }
    const rows = await preparedQuery<DossierRow[]>(
      this.manager,
      `SELECT ${DOSSIER_COLUMNS} FROM dossiers
        WHERE ${isUuid(ref) ? 'id = $1' : '(inbound_item_id = $1 OR result_item_id = $1 OR agency_dossier_code = $1)'}
        ORDER BY created_at ASC LIMIT 1 FOR UPDATE`,
      [ref],
    );
    if (!rows.length) return null;
    return this.held.get(rows[0].id) ?? this.keep(toEntity(rows[0]), true);
  }

  /**
   * The agency owning the dossier `ref` names when that is not `agencyCode` and `agencyCode`
   * has no dossier of that ref (known from a scoped {@link lockMany} or {@link lock}); null
   * otherwise. Such a change must be refused whole, not parked.
   */
  foreignOwner(ref: string, agencyCode: string): string | null {
    const owner = this.foreign.get(ref);
    return owner && owner !== agencyCode && !this.findHeld(ref, agencyCode) ? owner : null;
  }

  /** Applies one input and every parked event it releases. */
  async apply(input: LifecycleInput): Promise<LifecycleOutcome> {
    const outcome = await this.applyOne(input, true);
    if (outcome.kind === 'applied') await this.releaseKnown(outcome.dossierId);
    if (!this.deferred) await this.flush();
    return outcome;
  }

  /**
   * Writes everything gathered so far in one statement, then applies the parked events that
   * statement found for the changed dossiers (and writes again), until none is left. The
   * caller of a deferred ledger calls it before committing.
   */
  async flush(): Promise<void> {
    for (let round = 0; round < MAX_RELEASES; round++) {
      const writes = this.takeWrites();
      const found = await writeChanges(this.manager, writes);
      this.knowParked(writes.parkedRefs, found);
      const waiting = [...new Set(found.map((row) => this.ownerOf(row.dossier_ref)))].filter(
        (id): id is string => !!id,
      );
      for (const id of waiting) await this.releaseKnown(id);
      if (this.isClean()) return;
    }
    throw new Error(`parked events kept releasing each other after ${MAX_RELEASES} rounds`);
  }

  private isClean(): boolean {
    const w = this.writes;
    return (
      this.dirty.size === 0 &&
      w.timeline.length === 0 &&
      w.outbox.length === 0 &&
      w.park.length === 0 &&
      w.unpark.length === 0 &&
      this.uncheckedDossiers.size === 0
    );
  }

  private takeWrites(): ChangeWrites {
    const writes = this.writes;
    for (const id of this.dirty) {
      const columns = columnsOf(this.held.get(id)!);
      if (this.stored.has(id)) writes.updateDossiers.push(columns);
      else {
        writes.insertDossiers.push(columns);
        this.stored.add(id);
      }
    }
    this.dirty.clear();
    const refs = new Set<string>();
    for (const id of this.uncheckedDossiers)
      for (const ref of refsOf(this.held.get(id)!)) if (!this.parkedChecked.has(ref)) refs.add(ref);
    this.uncheckedDossiers.clear();
    writes.parkedRefs = [...refs];
    // Events parked in this batch and never released are written now, under their ref; from
    // then on they are found in the database like any parked event.
    writes.park = writes.park.filter((p) => !(p as LocalPark).released);
    for (const park of writes.park as LocalPark[]) {
      const list = this.parkedByRef.get(park.dossierRef) ?? [];
      this.parkedByRef.set(
        park.dossierRef,
        list.filter((e) => e.id !== park.localId),
      );
      this.parkedChecked.delete(park.dossierRef);
    }
    this.localParks.clear();
    this.writes = noWrites();
    return writes;
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
        this.writes.timeline.push(timelineLine(existing!.id, 'note', input, { detail: input.detail }));
        this.writes.outbox.push(...reactionsTo(input, existing!.snapshot).map(jobRow));
        return { kind: 'noted', dossierId: existing!.id, status: existing!.status };
      }
      case 'park': {
        if (!parkIfEarly) return { kind: 'parked', dossierId: existing?.id, reason: decision.reason };
        const ref = existing?.id ?? input.ref ?? '';
        const park: LocalPark = {
          dossierRef: ref,
          dossierId: existing?.id ?? null,
          event: input.event,
          payload: input,
          reason: decision.reason,
          localId: `local-${this.nextLocalPark++}`,
        };
        this.writes.park.push(park);
        const known = this.parkedByRef.get(ref) ?? [];
        known.push({ id: park.localId, event: input.event, payload: input, dossier_ref: ref });
        this.parkedByRef.set(ref, known);
        this.localParks.set(park.localId, park);
        if (existing)
          this.writes.timeline.push(timelineLine(existing.id, 'parked', input, { detail: decision.reason }));
        return { kind: 'parked', dossierId: existing?.id, reason: decision.reason };
      }
      case 'refuse': {
        if (existing)
          this.writes.timeline.push(timelineLine(existing.id, 'refused', input, { detail: decision.reason }));
        return { kind: 'refused', dossierId: existing?.id, reason: decision.reason };
      }
    }
  }

  /** The dossier a creating event refers to: by its inbound S10 first, else by its id (one query). */
  private async findForCreation(input: LifecycleInput): Promise<DossierEntity | null> {
    const create = input.create!;
    if (!create.inboundItemId) return this.lock(create.id);
    const known = this.findHeld(create.inboundItemId) ?? this.held.get(create.id) ?? null;
    if (known || (this.resolved.has(create.inboundItemId) && this.resolved.has(create.id))) return known;
    const rows = await preparedQuery<DossierRow[]>(
      this.manager,
      `SELECT ${DOSSIER_COLUMNS} FROM dossiers
        WHERE inbound_item_id = $1 OR result_item_id = $1 OR agency_dossier_code = $1 OR id = $2
        ORDER BY (id = $2 AND inbound_item_id IS DISTINCT FROM $1 AND result_item_id IS DISTINCT FROM $1
                  AND agency_dossier_code IS DISTINCT FROM $1), created_at ASC
        FOR UPDATE`,
      [create.inboundItemId, create.id],
    );
    for (const row of rows) if (!this.held.has(row.id)) this.keep(toEntity(row), true);
    return rows.length ? this.held.get(rows[0].id)! : null;
  }

  private transition(
    existing: DossierEntity | null,
    input: LifecycleInput,
    to: DossierStatus,
  ): LifecycleOutcome {
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
    const entity = Object.assign(existing ?? new DossierEntity(), {
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
    });
    this.keep(entity, existing !== null && this.stored.has(entity.id));
    this.dirty.add(entity.id);
    this.uncheckedDossiers.add(entity.id);

    const data: DossierEventData = {
      dossier,
      previousStatus: previous?.status ?? null,
      portalStatusCode: PORTAL_CODE_OF_STATUS[to],
      sequence,
      cause: { event: input.event, eventId: input.eventId, detail: input.detail },
    };
    const event = bridgeEvent(dossierEventType(to), deterministicUuid(`${dossier.id}:${sequence}`), data, {
      subject: dossier.id,
      time: input.occurredAt,
      correlationId: input.correlationId,
    });
    this.writes.timeline.push(
      timelineLine(dossier.id, 'status', input, {
        from: previous?.status ?? null,
        to,
        sequence,
        detail: input.detail,
      }),
    );
    this.writes.outbox.push(eventRow(event, dossier.id), ...reactionsTo(input, dossier).map(jobRow));
    return { kind: 'applied', dossierId: dossier.id, status: to, sequence };
  }

  /**
   * Applies the known parked events of a dossier that now fit, oldest first, until none does
   * (a released event may move the dossier on and let another fit).
   */
  private async releaseKnown(dossierId: string): Promise<void> {
    for (let round = 0; round < MAX_RELEASES; round++) {
      const dossier = this.held.get(dossierId);
      if (!dossier) return;
      const candidates = refsOf(dossier)
        .flatMap((ref) => this.parkedByRef.get(ref) ?? [])
        .sort(byParkOrder);
      let released = false;
      for (const entry of candidates) {
        if (!isLifecycleEvent(entry.event)) continue;
        // Parked under a ref the dossier has, by another agency: it never applies here.
        const scope = (entry.payload as LifecycleInput).agencyCode;
        if (scope && scope !== dossier.agencyCode) continue;
        const input = { ...(entry.payload as LifecycleInput), ref: dossierId };
        const outcome = await this.applyOne(input, false);
        if (outcome.kind === 'parked') continue;
        this.forgetParked(entry);
        if (outcome.kind === 'applied') {
          released = true;
          break; // the status moved: look at what is parked again from the new status
        }
      }
      if (!released) return;
    }
  }

  private forgetParked(entry: ParkedRow): void {
    const list = this.parkedByRef.get(entry.dossier_ref) ?? [];
    this.parkedByRef.set(
      entry.dossier_ref,
      list.filter((e) => e !== entry),
    );
    const local = this.localParks.get(String(entry.id));
    if (local) local.released = true;
    else this.writes.unpark.push(String(entry.id));
  }

  private knowParked(refs: readonly string[], rows: readonly ParkedRow[]): void {
    for (const ref of refs) this.parkedChecked.add(ref);
    for (const row of rows) {
      const list = this.parkedByRef.get(row.dossier_ref) ?? [];
      if (!list.some((e) => String(e.id) === String(row.id))) list.push(row);
      this.parkedByRef.set(row.dossier_ref, list);
    }
  }

  /** The held dossier a parked event's ref names. */
  private ownerOf(ref: string): string | undefined {
    return this.held.has(ref) ? ref : this.byRef.get(ref)?.find((id) => this.held.has(id));
  }

  /** Keeps a dossier as held, indexed by its refs; returns it. */
  private keep(dossier: DossierEntity, stored: boolean): DossierEntity {
    this.held.set(dossier.id, dossier);
    if (stored) this.stored.add(dossier.id);
    for (const ref of refsOf(dossier)) {
      if (ref === dossier.id) continue;
      const ids = this.byRef.get(ref) ?? [];
      if (!ids.includes(dossier.id)) ids.push(dossier.id);
      this.byRef.set(ref, ids);
    }
    return dossier;
  }

  /** A held dossier by id or by a ref it has now, oldest first, of `agencyCode` when given. */
  private findHeld(ref: string, agencyCode?: string): DossierEntity | null {
    const inScope = (d: DossierEntity) => !agencyCode || d.agencyCode === agencyCode;
    if (isUuid(ref)) {
      const d = this.held.get(ref);
      return d && inScope(d) ? d : null;
    }
    for (const id of this.byRef.get(ref) ?? []) {
      const d = this.held.get(id)!;
      const hasRef = d.inboundItemId === ref || d.resultItemId === ref || d.agencyDossierCode === ref;
      if (hasRef && inScope(d)) return d;
    }
    return null;
  }

  /** Records an operational line on a dossier's timeline (a failed delivery, a dead letter). */
  async note(
    dossierId: string,
    kind: TimelineKind,
    event: string,
    detail: string,
    origin = 'bridge',
  ): Promise<void> {
    this.writes.timeline.push(
      timelineLine(
        dossierId,
        kind,
        { event: event as LifecycleEvent, origin: origin as 'bridge', occurredAt: new Date().toISOString() },
        { detail },
      ),
    );
    if (!this.deferred) await this.flush();
  }
}

/** An event parked by this ledger in the current batch. */
interface LocalPark extends ParkedColumns {
  localId: string;
  released?: boolean;
}

/** Parked events in the order they arrived: stored ones by id, then this batch's. */
function byParkOrder(a: ParkedRow, b: ParkedRow): number {
  const local = (r: ParkedRow) => String(r.id).startsWith('local-');
  if (local(a) !== local(b)) return local(a) ? 1 : -1;
  if (local(a)) return Number(String(a.id).slice(6)) - Number(String(b.id).slice(6));
  return Number(a.id) - Number(b.id);
}

function refsOf(d: DossierEntity): string[] {
  return [d.id, d.inboundItemId, d.resultItemId, d.agencyDossierCode].filter((r): r is string => !!r);
}

function columnsOf(d: DossierEntity): DossierColumns {
  return {
    id: d.id,
    inboundItemId: d.inboundItemId,
    resultItemId: d.resultItemId,
    agencyCode: d.agencyCode,
    procedureCode: d.procedureCode,
    agencyDossierCode: d.agencyDossierCode,
    serviceOption: d.serviceOption,
    status: d.status,
    sequence: d.sequence,
    appointmentDate: d.appointmentDate,
    snapshot: d.snapshot,
  };
}

type TimelineCause = Pick<LifecycleInput, 'event' | 'origin' | 'eventId' | 'occurredAt'>;
type TimelineExtra = { from?: string | null; to?: string; sequence?: number; detail?: string };

function timelineLine(
  dossierId: string,
  kind: TimelineKind,
  input: TimelineCause,
  extra: TimelineExtra,
): TimelineColumns {
  return {
    dossierId,
    kind,
    event: input.event,
    origin: input.origin,
    fromStatus: extra.from ?? null,
    toStatus: extra.to ?? null,
    sequence: extra.sequence ?? null,
    eventId: input.eventId ?? null,
    detail: extra.detail ?? null,
    occurredAt: new Date(input.occurredAt).toISOString(),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
