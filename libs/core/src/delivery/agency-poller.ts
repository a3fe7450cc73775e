import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AdapterSpec, AdapterStore, CallContext, ExchangedMessage } from '@bridge/adapter-sdk';
import { PollCursorEntity } from '@bridge/persistence';
import { AgencyChangesService } from './agency-changes.service';
import { AgencyRuntime } from './agency-runtime';
import { PollHealthRecorder } from './poll-health';

/**
 * Polls agencies that report status changes by being asked (REST lists, SOAP operations, CSV
 * folders). One process polls an agency at a time (a lock in the shared store); the cursor is
 * saved after the changes are committed, and the adapter's `commit()` runs only then — a crash
 * in between makes the next poll see the same changes, which the inbox deduplicates. A page
 * that says `more` is followed at once by the next one, not after a poll interval.
 */
export class AgencyPoller {
  private readonly timers = new Map<string, { interval: number; timer: NodeJS.Timeout }>();
  private readonly busy = new Set<string>();
  private stopped = false;
  private readonly owner = randomUUID();

  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: Pick<AgencyRuntime, 'adapterFor' | 'specOf'>,
    private readonly changes: AgencyChangesService,
    private readonly store: AdapterStore,
    private readonly onError: (agencyCode: string, error: unknown) => void = () => undefined,
    private readonly health?: PollHealthRecorder,
  ) {}

  /** Starts, stops or re-times the pollers to match the agencies' specs. */
  sync(agencies: ReadonlyMap<string, { spec: AdapterSpec }>): void {
    if (this.stopped) return;
    for (const [code, entry] of this.timers) {
      const interval = agencies.get(code)?.spec.pollIntervalMs;
      if (interval !== entry.interval) {
        clearInterval(entry.timer);
        this.timers.delete(code);
      }
    }
    for (const [code, { spec }] of agencies) {
      if (!spec.pollIntervalMs || this.timers.has(code)) continue;
      const timer = setInterval(() => void this.pollOnce(code), spec.pollIntervalMs);
      timer.unref();
      this.timers.set(code, { interval: spec.pollIntervalMs, timer });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearInterval(timer);
    this.timers.clear();
    while (this.busy.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /**
   * Polls one agency now, page after page while the adapter says more is waiting (a large
   * status file); returns how many changes it applied (0 when another process holds it).
   */
  async pollOnce(agencyCode: string): Promise<number> {
    if (this.busy.has(agencyCode) || this.stopped) return 0;
    this.busy.add(agencyCode);
    const lockKey = `poll-lock:${agencyCode}`;
    let applied = 0;
    try {
      const interval = this.runtime.specOf(agencyCode)?.pollIntervalMs ?? 5_000;
      const lock = { ttlMs: Math.max(30_000, interval * 5) };
      if (!(await this.store.set(lockKey, this.owner, { ...lock, onlyIfAbsent: true }))) return 0;
      for (;;) {
        const page = await this.pollPage(agencyCode);
        applied += page.applied;
        if (!page.more || this.stopped) break;
        // Still ours (a long file must not outlive the lock unnoticed): keep it for the next page.
        if ((await this.store.get(lockKey)) !== this.owner) break;
        await this.store.set(lockKey, this.owner, lock);
      }
      await this.health?.succeeded(agencyCode, 'poll').catch((error) => this.onError(agencyCode, error));
      return applied;
    } catch (error) {
      this.onError(agencyCode, error);
      await this.health?.failed(agencyCode, error).catch(() => undefined);
      return applied;
    } finally {
      if ((await this.store.get(lockKey).catch(() => null)) === this.owner)
        await this.store.delete(lockKey).catch(() => undefined);
      this.busy.delete(agencyCode);
    }
  }

  /** One poll: apply the page, save the cursor, then let the adapter acknowledge it. */
  private async pollPage(agencyCode: string): Promise<{ applied: number; more: boolean }> {
    const row = await this.dataSource.manager.findOneBy(PollCursorEntity, { agencyCode });
    const messages: ExchangedMessage[] = [];
    const correlationId = randomUUID();
    const ctx: CallContext = { correlationId, record: (m) => messages.push(m) };
    const page = await this.runtime.adapterFor(agencyCode).poll(row?.cursor ?? undefined, ctx);
    if (page.changes.length > 0 || (page.rejected?.length ?? 0) > 0) {
      await this.changes.apply(agencyCode, page.changes, {
        rejected: page.rejected,
        messages,
        correlationId,
        via: 'poll',
      });
    }
    if (page.cursor !== undefined && page.cursor !== row?.cursor) {
      await this.dataSource.manager.upsert(
        PollCursorEntity,
        { agencyCode, cursor: page.cursor, updatedAt: new Date() },
        ['agencyCode'],
      );
    }
    await page.commit?.();
    return { applied: page.changes.length, more: page.more === true };
  }
}
