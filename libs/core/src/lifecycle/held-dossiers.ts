import { DossierEntity } from '@bridge/persistence';
import { isUuid } from '../common/uuid';
import { DossierRow, toEntity } from './dossier-columns';

/** Every ref a dossier can be named by: its id, inbound and result S10, agency dossier code. */
export function refsOf(d: DossierEntity): string[] {
  return [d.id, d.inboundItemId, d.resultItemId, d.agencyDossierCode].filter((r): r is string => !!r);
}

/**
 * The dossiers a ledger has locked in the caller's transaction, as they stand now (written or
 * not), by id and by every ref — an identity map: later inputs of the same transaction find a
 * dossier here without a query, and see the changes not yet written.
 */
export class HeldDossiers {
  private readonly byId = new Map<string, DossierEntity>();
  /** Ids of held dossiers by item id and agency dossier code, oldest first. */
  private readonly byRef = new Map<string, string[]>();
  /** Refs whose dossiers are all held (looked up already): a miss needs no query. */
  private readonly resolved = new Set<string>();
  /** Refs looked up for an agency that name another agency's dossier (and none of its own). */
  private readonly foreign = new Map<string, string>();
  /** Held dossiers that have a row in the database (the others are inserted on flush). */
  private readonly stored = new Set<string>();

  get(id: string): DossierEntity | undefined {
    return this.byId.get(id);
  }

  /** Keeps a dossier as held, indexed by its refs; returns it. */
  keep(dossier: DossierEntity, stored: boolean): DossierEntity {
    this.byId.set(dossier.id, dossier);
    if (stored) this.stored.add(dossier.id);
    for (const ref of refsOf(dossier)) {
      if (ref === dossier.id) continue;
      const ids = this.byRef.get(ref) ?? [];
      if (!ids.includes(dossier.id)) ids.push(dossier.id);
      this.byRef.set(ref, ids);
    }
    return dossier;
  }

  /** Keeps rows just locked, except those held already (which may have changed since). */
  keepRows(rows: readonly DossierRow[]): void {
    for (const row of rows) if (!this.byId.has(row.id)) this.keep(toEntity(row), true);
  }

  /** Whether the dossier has a row in the database. */
  isStored(id: string): boolean {
    return this.stored.has(id);
  }

  /** Records that the dossier's row is (about to be) written. */
  markStored(id: string): void {
    this.stored.add(id);
  }

  isResolved(ref: string): boolean {
    return this.resolved.has(ref);
  }

  resolve(refs: Iterable<string>): void {
    for (const ref of refs) this.resolved.add(ref);
  }

  /** Remembers refs that name another agency's dossier, with that agency. */
  noteForeign(owners: ReadonlyMap<string, string>): void {
    for (const [ref, owner] of owners) this.foreign.set(ref, owner);
  }

  /** The other agency owning the dossier `ref` names, when `agencyCode` holds none under it. */
  foreignOwner(ref: string, agencyCode: string): string | null {
    const owner = this.foreign.get(ref);
    return owner && owner !== agencyCode && !this.find(ref, agencyCode) ? owner : null;
  }

  /** A held dossier by id or by a ref it has now, oldest first, of `agencyCode` when given. */
  find(ref: string, agencyCode?: string): DossierEntity | null {
    const inScope = (d: DossierEntity) => !agencyCode || d.agencyCode === agencyCode;
    if (isUuid(ref)) {
      const d = this.byId.get(ref);
      return d && inScope(d) ? d : null;
    }
    for (const id of this.byRef.get(ref) ?? []) {
      const d = this.byId.get(id)!;
      const hasRef = d.inboundItemId === ref || d.resultItemId === ref || d.agencyDossierCode === ref;
      if (hasRef && inScope(d)) return d;
    }
    return null;
  }

  /** The id of the held dossier a parked event's ref names. */
  ownerOf(ref: string): string | undefined {
    return this.byId.has(ref) ? ref : this.byRef.get(ref)?.find((id) => this.byId.has(id));
  }
}
