import { Dossier, DossierStatus, punctuality, ServiceOption } from '@bridge/domain';

/** Statuses after which the post expects nothing more for a dossier. */
const FINAL: ReadonlySet<DossierStatus> = new Set(['completed', 'rejected', 'cancelled']);

/** What the postal backend knows of one dossier it started (or adopted from the agency side). */
export interface LedgerEntry {
  /** Inbound S10 id; absent for "return the result only" dossiers registered at the agency. */
  itemId?: string;
  /** For dossiers registered at the agency: its own dossier code. */
  agencyDossierCode?: string;
  agencyCode: string;
  serviceOption: ServiceOption;
  origin: 'post' | 'agency';
  startedAt: number;
  /** The bridge id, once an event named it. */
  dossierId?: string;
  /** Every status the bridge reported, in sequence order. */
  statuses: DossierStatus[];
  finishedAt?: number;
  outcome?: DossierStatus;
  punctuality?: 'on_time' | 'late';
  deadLetters: number;
}

/** Counts at a moment: what the progress line and the final table show. */
export interface LedgerCounts {
  started: number;
  finished: number;
  inFlight: number;
  deadLetters: number;
}

/**
 * Every dossier the postal backend started or was told to expect, and what the bridge said
 * about it: enough to count lost dossiers (started, never finished) and duplicates (two
 * bridge dossiers for one postal item).
 */
export class PostalLedger {
  private readonly byItem = new Map<string, LedgerEntry>();
  private readonly byAgencyCode = new Map<string, LedgerEntry>();
  private readonly byDossier = new Map<string, LedgerEntry>();
  readonly entries: LedgerEntry[] = [];
  /** Events delivered more than once (same event id): at-least-once delivery, harmless. */
  redelivered = 0;
  /** Bridge dossiers beyond the first for one postal item: a duplicate the bridge created. */
  duplicateDossiers = 0;
  /** Events of dossiers this ledger does not know (another run, another sender). */
  strangers = 0;

  /** A dossier the post collected and is about to announce. */
  started(entry: Pick<LedgerEntry, 'itemId' | 'agencyCode' | 'serviceOption'>): LedgerEntry {
    const full: LedgerEntry = {
      ...entry,
      origin: 'post',
      startedAt: Date.now(),
      statuses: [],
      deadLetters: 0,
    };
    this.entries.push(full);
    this.byItem.set(entry.itemId!, full);
    return full;
  }

  /** A "return the result only" dossier registered at an agency: the bridge must announce it. */
  expectFromAgency(agencyCode: string, agencyDossierCode: string): LedgerEntry {
    const entry: LedgerEntry = {
      agencyCode,
      agencyDossierCode,
      serviceOption: 'return',
      origin: 'agency',
      startedAt: Date.now(),
      statuses: [],
      deadLetters: 0,
    };
    this.entries.push(entry);
    this.byAgencyCode.set(`${agencyCode}|${agencyDossierCode}`, entry);
    return entry;
  }

  /** The entry a dossier snapshot belongs to, binding the bridge id on first sight. */
  entryFor(dossier: Dossier): LedgerEntry | undefined {
    const known = this.byDossier.get(dossier.id);
    if (known) return known;
    const entry =
      (dossier.inboundItemId && this.byItem.get(dossier.inboundItemId)) ||
      (dossier.agencyDossierCode &&
        this.byAgencyCode.get(`${dossier.agencyCode}|${dossier.agencyDossierCode}`)) ||
      undefined;
    if (!entry) {
      this.strangers++;
      return undefined;
    }
    if (entry.dossierId && entry.dossierId !== dossier.id) {
      this.duplicateDossiers++;
      return undefined;
    }
    entry.dossierId = dossier.id;
    this.byDossier.set(dossier.id, entry);
    return entry;
  }

  byDossierId(id: string): LedgerEntry | undefined {
    return this.byDossier.get(id);
  }

  /** Records a status; a final one finishes the entry, with its punctuality. */
  saw(entry: LedgerEntry, dossier: Dossier): void {
    entry.statuses.push(dossier.status);
    if (!FINAL.has(dossier.status) || entry.finishedAt) return;
    entry.finishedAt = Date.now();
    entry.outcome = dossier.status;
    const p = punctuality(dossier);
    if (p !== 'pending') entry.punctuality = p === 'late' ? 'late' : 'on_time';
  }

  counts(): LedgerCounts {
    const finished = this.entries.filter((e) => e.finishedAt).length;
    return {
      started: this.entries.length,
      finished,
      inFlight: this.entries.length - finished,
      deadLetters: this.entries.reduce((n, e) => n + e.deadLetters, 0),
    };
  }

  /** Entries started but not finished: lost once the deadline has passed. */
  unfinished(): LedgerEntry[] {
    return this.entries.filter((e) => !e.finishedAt);
  }
}
