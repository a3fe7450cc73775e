import { EntityManager } from 'typeorm';
import { decide, isLifecycleEvent, LifecycleEvent } from '@bridge/domain';
import { DossierEntity, TimelineKind } from '@bridge/persistence';
import { jobRow } from '../outbox/outbox-writer';
import { isUuid } from '../common/uuid';
import { ChangeWrites, noWrites, SideWrite, writeChanges } from './change-statement';
import { columnsOf } from './dossier-columns';
import {
  lockByRefs,
  lockByRefsWithParked,
  lockForCreation,
  lockOne,
  lockParked,
  lockScoped,
} from './dossier-rows';
import { timelineLine, transition } from './dossier-transition';
import { HeldDossiers, refsOf } from './held-dossiers';
import { LifecycleInput, LifecycleOutcome } from './lifecycle-input';
import { ParkedEvents } from './parked-events';
import { reactionsTo } from './reactions';

export { DOSSIER_COLUMNS, DossierRow, toEntity } from './dossier-columns';

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
 * as they stand, by every ref ({@link HeldDossiers}), so later inputs of the same transaction
 * find them without a query. Writes are gathered and sent as one statement
 * ({@link writeChanges}); that statement also returns the parked events filed under the refs
 * of the dossiers it changed, which are then applied in turn. Parked events already known
 * ({@link ParkedEvents}: loaded with the dossiers, or parked by this ledger) are released
 * right after the change they wait for.
 */
export class DossierLedger {
  private readonly held = new HeldDossiers();
  private readonly parked = new ParkedEvents();
  private writes: ChangeWrites = noWrites();
  /** Held dossiers changed since the last flush. */
  private readonly dirty = new Set<string>();
  /** Dossiers changed since the last flush whose refs were not all checked for parked events. */
  private readonly uncheckedDossiers = new Set<string>();
  private readonly deferred: boolean;

  constructor(
    private readonly manager: EntityManager,
    options: LedgerOptions = {},
  ) {
    this.deferred = options.deferred ?? false;
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
    const wanted = [...ids, ...others].filter((r) => !this.held.isResolved(r));
    if (wanted.length === 0) return;
    let rows;
    if (agencyCode) {
      const scoped = await lockScoped(this.manager, ids, others, agencyCode);
      rows = scoped.own;
      this.held.noteForeign(scoped.foreign);
    } else if (this.parked.nothingChecked()) {
      // The ledger's first lock: the parked events come in the same round trip.
      const locked = await lockByRefsWithParked(this.manager, ids, others, wanted);
      this.held.keepRows(locked.rows);
      this.held.resolve(wanted);
      this.parked.know(locked.refs, locked.parked);
      return;
    } else rows = await lockByRefs(this.manager, ids, others);
    this.held.keepRows(rows);
    this.held.resolve(wanted);
    const parkedRefs = new Set<string>(wanted);
    for (const row of rows) for (const ref of refsOf(this.held.get(row.id)!)) parkedRefs.add(ref);
    const unchecked = this.parked.unchecked(parkedRefs);
    if (unchecked.length === 0) return;
    this.parked.know(unchecked, await lockParked(this.manager, unchecked));
  }

  /**
   * Finds and locks a dossier by bridge id, inbound or result S10, or agency dossier code. With
   * `agencyCode`, only a dossier of that agency is found (two agencies may issue the same code,
   * and no agency may reach another's dossier). A dossier this ledger holds is returned as it
   * stands, without a query.
   */
  async lock(ref: string, agencyCode?: string): Promise<DossierEntity | null> {
    const known = this.held.find(ref, agencyCode);
    if (known || this.held.isResolved(ref)) return known;
    if (agencyCode) {
      await this.lockMany([ref], agencyCode);
      return this.held.find(ref, agencyCode);
    }
    const rows = await lockOne(this.manager, ref, isUuid(ref));
    if (!rows.length) return null;
    this.held.keepRows(rows);
    return this.held.get(rows[0].id)!;
  }

  /**
   * The agency owning the dossier `ref` names when that is not `agencyCode` and `agencyCode`
   * has no dossier of that ref (known from a scoped {@link lockMany} or {@link lock}); null
   * otherwise. Such a change must be refused whole, not parked.
   */
  foreignOwner(ref: string, agencyCode: string): string | null {
    return this.held.foreignOwner(ref, agencyCode);
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
      this.parked.know(writes.parkedRefs, found);
      const waiting = [...new Set(found.map((row) => this.held.ownerOf(row.dossier_ref)))].filter(
        (id): id is string => !!id,
      );
      for (const id of waiting) await this.releaseKnown(id);
      if (this.isClean()) return;
    }
    throw new Error(`parked events kept releasing each other after ${MAX_RELEASES} rounds`);
  }

  /**
   * Sends `write` with the next flush's statement, in this transaction: one round trip for the
   * ledger's changes and the caller's own rows of the same change. Deferred ledgers only.
   */
  alsoWrite(write: SideWrite | undefined): void {
    if (!this.deferred) throw new Error('side writes ride with a deferred ledger only');
    if (write) this.writes.also.push(write);
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

  private isClean(): boolean {
    const w = this.writes;
    return (
      this.dirty.size === 0 &&
      w.timeline.length === 0 &&
      w.outbox.length === 0 &&
      w.park.length === 0 &&
      w.unpark.length === 0 &&
      w.also.length === 0 &&
      this.uncheckedDossiers.size === 0
    );
  }

  private takeWrites(): ChangeWrites {
    const writes = this.writes;
    for (const id of this.dirty) {
      const columns = columnsOf(this.held.get(id)!);
      if (this.held.isStored(id)) writes.updateDossiers.push(columns);
      else {
        writes.insertDossiers.push(columns);
        this.held.markStored(id);
      }
    }
    this.dirty.clear();
    const refs = new Set<string>();
    for (const id of this.uncheckedDossiers)
      for (const ref of this.parked.unchecked(refsOf(this.held.get(id)!))) refs.add(ref);
    this.uncheckedDossiers.clear();
    writes.parkedRefs = [...refs];
    writes.park = this.parked.takeBatch(writes.park);
    this.writes = noWrites();
    return writes;
  }

  private async applyOne(input: LifecycleInput, parkIfEarly: boolean): Promise<LifecycleOutcome> {
    const existing = input.create
      ? await this.findForCreation(input)
      : input.ref
        ? await this.lock(input.ref, input.agencyCode)
        : null;
    const decision = decide(existing?.status ?? null, input.event);

    switch (decision.kind) {
      case 'apply': {
        const moved = transition(existing, input, decision.to);
        const id = moved.entity.id;
        this.held.keep(moved.entity, existing !== null && this.held.isStored(id));
        this.dirty.add(id);
        this.uncheckedDossiers.add(id);
        this.writes.timeline.push(moved.timeline);
        this.writes.outbox.push(...moved.outbox);
        return { kind: 'applied', dossierId: id, status: decision.to, sequence: moved.sequence };
      }
      case 'note': {
        this.writes.timeline.push(timelineLine(existing!.id, 'note', input, { detail: input.detail }));
        this.writes.outbox.push(...reactionsTo(input, existing!.snapshot).map(jobRow));
        return { kind: 'noted', dossierId: existing!.id, status: existing!.status };
      }
      case 'park': {
        if (!parkIfEarly) return { kind: 'parked', dossierId: existing?.id, reason: decision.reason };
        const park = this.parked.park({
          dossierRef: existing?.id ?? input.ref ?? '',
          dossierId: existing?.id ?? null,
          event: input.event,
          payload: input,
          reason: decision.reason,
        });
        this.writes.park.push(park);
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
    const known = this.held.find(create.inboundItemId) ?? this.held.get(create.id) ?? null;
    if (known || (this.held.isResolved(create.inboundItemId) && this.held.isResolved(create.id)))
      return known;
    const rows = await lockForCreation(this.manager, create.inboundItemId, create.id);
    this.held.keepRows(rows);
    return rows.length ? this.held.get(rows[0].id)! : null;
  }

  /**
   * Applies the known parked events of a dossier that now fit, oldest first, until none does
   * (a released event may move the dossier on and let another fit).
   */
  private async releaseKnown(dossierId: string): Promise<void> {
    for (let round = 0; round < MAX_RELEASES; round++) {
      const dossier = this.held.get(dossierId);
      if (!dossier) return;
      let released = false;
      for (const entry of this.parked.candidates(refsOf(dossier))) {
        if (!isLifecycleEvent(entry.event)) continue;
        // Parked under a ref the dossier has, by another agency: it never applies here.
        const scope = (entry.payload as LifecycleInput).agencyCode;
        if (scope && scope !== dossier.agencyCode) continue;
        const input = { ...(entry.payload as LifecycleInput), ref: dossierId };
        const outcome = await this.applyOne(input, false);
        if (outcome.kind === 'parked') continue;
        const stored = this.parked.release(entry);
        if (stored !== null) this.writes.unpark.push(stored);
        if (outcome.kind === 'applied') {
          released = true;
          break; // the status moved: look at what is parked again from the new status
        }
      }
      if (!released) return;
    }
  }
}
