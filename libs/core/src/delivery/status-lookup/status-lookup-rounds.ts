import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  AdapterSpec,
  AgencyAdapter,
  AgencyStatusChange,
  CallContext,
  ExchangedMessage,
  LookedUpStatus,
} from '@bridge/adapter-sdk';
import { AgencyCallBudget } from '@bridge/queues';
import { MessageRecorder } from '../../common/message-recorder';
import { AgencyChangesService } from '../agency-changes.service';
import { ClaimedLookup, LookupRecord, StatusLookupSchedule } from './status-lookup-schedule';

/** What the rounds need from the rest of the bridge. */
export interface StatusLookupDeps {
  dataSource: DataSource;
  runtime: {
    agencies(): string[];
    specOf(code: string): AdapterSpec | undefined;
    adapterFor(code: string): AgencyAdapter;
  };
  changes: Pick<AgencyChangesService, 'apply'>;
  /** Shares the agency's rate limit with its deliveries; absent, only `concurrency` bounds the calls. */
  budget?: AgencyCallBudget;
  recorder?: MessageRecorder;
  onError?: (agencyCode: string, error: unknown) => void;
  /** How often due dossiers are claimed (default 500 ms). */
  tickMs?: number;
  /** How often open dossiers are enrolled and closed ones dropped (default 2 s). */
  enrolMs?: number;
  /** Most dossiers of one agency claimed in one tick (default 500). */
  maxBatch?: number;
}

/** One look-up's outcome. */
interface Looked {
  claimed: ClaimedLookup;
  found: LookedUpStatus | null;
  messages: ExchangedMessage[];
  /** Why the look-up failed, when it did. */
  error?: string;
}

/**
 * Status by look-up: every tick each process claims the dossiers that are due at each agency
 * whose status comes by look-up (see {@link StatusLookupSchedule}), takes that many calls from
 * the agency's rate limit (giving back what it cannot use), asks the agency, and applies a
 * change through the same path as polled and pushed changes when the agency's code differs
 * from the last one seen. Nothing here depends on the delivery queues.
 */
export class StatusLookupRounds {
  private running?: Promise<unknown>;
  private wake?: () => void;
  private lastEnrol = 0;
  private stopped = false;
  private readonly schedule: StatusLookupSchedule;

  constructor(private readonly deps: StatusLookupDeps) {
    this.schedule = new StatusLookupSchedule(deps.dataSource);
  }

  /** Runs ticks back to back while there is work, pausing `tickMs` when a tick found none. */
  start(): void {
    this.stopped = false;
    this.running = (async () => {
      while (!this.stopped) {
        const looked = await this.tick();
        if (looked === 0 && !this.stopped)
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            setTimeout(resolve, this.deps.tickMs ?? 500).unref();
          });
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running?.catch(() => undefined);
  }

  /** One tick: enrol when due, then one claim-and-look-up pass per look-up agency. */
  async tick(): Promise<number> {
    const agencies = this.deps.runtime.agencies().flatMap((code) => {
      const spec = this.deps.runtime.specOf(code);
      return spec?.statusLookup ? [{ code, spec }] : [];
    });
    let looked = 0;
    const enrol = Date.now() - this.lastEnrol >= (this.deps.enrolMs ?? 2_000);
    if (enrol) this.lastEnrol = Date.now();
    for (const { code, spec } of agencies) {
      if (this.stopped) break;
      try {
        if (enrol) await this.schedule.enrol(code, spec.statusLookup!);
        looked += await this.round(code, spec);
      } catch (error) {
        this.deps.onError?.(code, error);
      }
    }
    return looked;
  }

  /** Claims, looks up and applies the agency's due dossiers; returns how many were looked up. */
  private async round(code: string, spec: AdapterSpec): Promise<number> {
    const claimed = await this.schedule.claim(code, this.deps.maxBatch ?? 500, spec.statusLookup!);
    if (claimed.length === 0) return 0;
    const slots =
      spec.rateLimit && this.deps.budget
        ? await this.deps.budget.take(code, claimed.length, spec.rateLimit)
        : { count: claimed.length, firstInMs: 0, spacingMs: 0 };
    await this.schedule.release(claimed.slice(slots.count).map((c) => c.dossierId));
    const batch = claimed.slice(0, slots.count);
    const adapter = this.deps.runtime.adapterFor(code);
    const startedAt = performance.now();
    const results = await lookUpAll(batch, spec.concurrency, async (c, index) => {
      // Each call at its own slot, so the agency sees an even flow rather than bursts.
      const due = startedAt + slots.firstInMs + index * slots.spacingMs - performance.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
      return this.lookOne(adapter, c);
    });
    // One report per round, not one per dossier: an agency that is down fails them all.
    const failed = results.filter((r) => r.error !== undefined);
    if (failed.length > 0)
      this.deps.onError?.(
        code,
        new Error(
          `${failed.length} of ${results.length} look-up(s) failed, e.g. dossier ${failed[0].claimed.dossierId}: ${failed[0].error}`,
        ),
      );
    await this.apply(code, results);
    return results.length;
  }

  private async lookOne(adapter: AgencyAdapter, claimed: ClaimedLookup): Promise<Looked> {
    const messages: ExchangedMessage[] = [];
    const ctx: CallContext = { correlationId: randomUUID(), record: (m) => messages.push(m) };
    try {
      const found = await adapter.lookupStatus!(
        {
          bridgeId: claimed.dossierId,
          itemId: claimed.itemId ?? undefined,
          agencyDossierCode: claimed.agencyDossierCode ?? undefined,
        },
        ctx,
      );
      return { claimed, found, messages };
    } catch (error) {
      // The dossier keeps its place a round ahead: a failing agency is asked again next round,
      // not in a retry storm.
      const reason = error instanceof Error ? error.message : String(error);
      return { claimed, found: null, messages, error: reason };
    }
  }

  /**
   * Changes go through the agency-changes path (inbox, ledger, outbox) in one batch; every
   * exchanged message goes to the message log; the schedule learns what each look-up found.
   */
  private async apply(code: string, results: Looked[]): Promise<void> {
    const changes: AgencyStatusChange[] = [];
    const records: LookupRecord[] = [];
    const changedMessages: ExchangedMessage[] = [];
    const otherMessages: ExchangedMessage[] = [];
    for (const r of results) {
      const change = r.found && changeOf(r.claimed, r.found);
      if (change) {
        changes.push(change);
        changedMessages.push(...r.messages);
      } else otherMessages.push(...r.messages);
      records.push({
        dossierId: r.claimed.dossierId,
        statusCode: r.found?.agencyStatusCode ?? null,
        changed: !!change,
      });
    }
    if (changes.length > 0)
      await this.deps.changes.apply(code, changes, { via: 'lookup', messages: changedMessages });
    await this.deps.dataSource.transaction(async (manager) => {
      await this.schedule.record(records, manager);
      await this.deps.recorder?.append(
        otherMessages.map((m) => ({
          channel: 'agency' as const,
          direction: m.direction,
          agencyCode: code,
          operation: m.operation,
          status: m.status === undefined ? undefined : String(m.status),
          body: m.body,
        })),
        manager,
      );
    });
  }
}

/**
 * The change a look-up found, or null when there is none: the agency's code is the one seen
 * last time, or (first look-up) it stands for the status the bridge already has. Numbered by
 * the changes seen so far, so a round repeated after a crash is deduplicated by the inbox.
 */
export function changeOf(claimed: ClaimedLookup, found: LookedUpStatus): AgencyStatusChange | null {
  const same =
    claimed.lastStatusCode === null
      ? found.status === claimed.status
      : found.agencyStatusCode === claimed.lastStatusCode;
  if (same) return null;
  const change: AgencyStatusChange = {
    bridgeId: claimed.dossierId,
    agencyDossierCode: claimed.agencyDossierCode ?? found.agencyDossierCode,
    status: found.status,
    agencyStatusCode: found.agencyStatusCode,
    at: found.at ?? new Date().toISOString(),
    changeId: `lookup:${claimed.dossierId}:${claimed.changesSeen + 1}`,
  };
  if (found.note) change.note = found.note;
  if (found.appointmentDate) change.appointmentDate = found.appointmentDate;
  return change;
}

/** Runs `work` over `items` with at most `concurrency` at a time, results in input order. */
async function lookUpAll<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}
