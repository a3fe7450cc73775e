import { ParkedColumns, ParkedRow } from './change-statement';

/** An event parked by the ledger in the current batch, not written yet. */
export interface LocalPark extends ParkedColumns {
  localId: string;
  released?: boolean;
}

const LOCAL = 'local-';

/**
 * Parked events in the order they arrived: stored ones by id (a bigint, compared as a
 * number), then the current batch's in the order they were parked.
 */
export function byParkOrder(a: ParkedRow, b: ParkedRow): number {
  const local = (r: ParkedRow) => String(r.id).startsWith(LOCAL);
  if (local(a) !== local(b)) return local(a) ? 1 : -1;
  if (local(a)) return Number(String(a.id).slice(LOCAL.length)) - Number(String(b.id).slice(LOCAL.length));
  return Number(a.id) - Number(b.id);
}

/**
 * The parked events a ledger knows, by the ref they are filed under: those read (locked) from
 * `parked_events` and those it parked itself in the current batch. A ref is "checked" once all
 * its stored parked events are known, so it is never read twice.
 */
export class ParkedEvents {
  private readonly byRef = new Map<string, ParkedRow[]>();
  private readonly checked = new Set<string>();
  private readonly local = new Map<string, LocalPark>();
  private nextLocal = 0;

  /** True while no ref was checked: nothing read yet that a second read could repeat. */
  nothingChecked(): boolean {
    return this.checked.size === 0 && this.local.size === 0;
  }

  /** The refs among `refs` whose parked events are not known yet. */
  unchecked(refs: Iterable<string>): string[] {
    return [...refs].filter((ref) => !this.checked.has(ref));
  }

  /** Records the parked events read for `refs` (every one of them now checked). */
  know(refs: readonly string[], rows: readonly ParkedRow[]): void {
    for (const ref of refs) this.checked.add(ref);
    for (const row of rows) {
      const list = this.byRef.get(row.dossier_ref) ?? [];
      if (!list.some((e) => String(e.id) === String(row.id))) list.push(row);
      this.byRef.set(row.dossier_ref, list);
    }
  }

  /** Parks an event in the current batch; the returned park is what to write. */
  park(columns: ParkedColumns): LocalPark {
    const park: LocalPark = { ...columns, localId: `${LOCAL}${this.nextLocal++}` };
    const known = this.byRef.get(park.dossierRef) ?? [];
    known.push({ id: park.localId, event: park.event, payload: park.payload, dossier_ref: park.dossierRef });
    this.byRef.set(park.dossierRef, known);
    this.local.set(park.localId, park);
    return park;
  }

  /** The known events filed under any of `refs`, in the order they arrived. */
  candidates(refs: readonly string[]): ParkedRow[] {
    return refs.flatMap((ref) => this.byRef.get(ref) ?? []).sort(byParkOrder);
  }

  /**
   * Forgets an event that was applied. Returns the id of its `parked_events` row to delete, or
   * null when it was parked in this batch (then it is simply never written).
   */
  release(entry: ParkedRow): string | null {
    const list = this.byRef.get(entry.dossier_ref) ?? [];
    this.byRef.set(
      entry.dossier_ref,
      list.filter((e) => e !== entry),
    );
    const local = this.local.get(String(entry.id));
    if (!local) return String(entry.id);
    local.released = true;
    return null;
  }

  /**
   * Ends the batch: of the events parked in it, those never released are to be written under
   * their ref; from then on they are found in the database like any parked event (their refs
   * are checked again).
   */
  takeBatch(parks: readonly ParkedColumns[]): ParkedColumns[] {
    const kept = (parks as LocalPark[]).filter((p) => !p.released);
    for (const park of kept) {
      const list = this.byRef.get(park.dossierRef) ?? [];
      this.byRef.set(
        park.dossierRef,
        list.filter((e) => e.id !== park.localId),
      );
      this.checked.delete(park.dossierRef);
    }
    this.local.clear();
    return kept;
  }
}
