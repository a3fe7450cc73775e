import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { AgencyGate, GateRefusal, RunOutcome } from './agency-gate';
import type { AgencyJobName } from './agency-jobs';
import { AgencyJobData, ScheduledRetryError, agencyBackoffStrategy } from './agency-job-processor';
import type { AgencyQueueSettings } from './agency-queue.types';
import type { CircuitBreaker } from './circuit-breaker';

/** A job whose worker died (or lost its lock) this many times is dead-lettered. */
export const MAX_STALLS = 3;

type AgencyBullJob = Job<AgencyJobData, void, AgencyJobName>;

/** What this process knows of one agency. */
export interface AgencyEntry {
  code: string;
  settings: AgencyQueueSettings;
  breaker: CircuitBreaker;
  gate: AgencyGate;
  /** Runs one job of the agency once the gate let it start. */
  process: (job: AgencyBullJob, token?: string, signal?: AbortSignal) => Promise<void>;
}

/** What the worker needs from its manager. */
export interface DeliveryWorkerOptions {
  queue: Queue<AgencyJobData, void, AgencyJobName>;
  redis: Redis;
  bullPrefix?: string;
  slots: number;
  entries: ReadonlyMap<string, AgencyEntry>;
  openSetKey: string;
  circuitCheckIntervalMs: number;
  failedKeepMs: number;
  shutdownTimeoutMs: number;
  random: () => number;
  report(error: unknown, context: string): void;
}

/**
 * How long a refused job is parked. Paused agencies and open circuits wake their jobs when they
 * resume, and a freed slot wakes the next parked job, so these are only the fall-back if a
 * wake-up is lost (a process died in between); a rate-limited job comes back when its turn is due.
 */
const PARK_MS: Record<Exclude<GateRefusal, 'rate'>, number> = {
  paused: 5 * 60_000,
  circuit: 5 * 60_000,
  concurrency: 30_000,
};

/**
 * The agency jobs running in this process, and the jobs here waiting for one of them to end.
 * A job refused for the agency's concurrency while this process runs one of its calls waits
 * here for that call to end instead of leaving the line and coming back: fewer round trips for
 * a busy agency. At most `concurrency` jobs of an agency wait so, so a slow agency holds at most
 * twice its concurrency of the process's slots; any more are parked in Redis.
 */
class LocalSlots {
  private readonly running = new Map<string, number>();
  private readonly waiters = new Map<string, Array<() => void>>();

  started(code: string): void {
    this.running.set(code, (this.running.get(code) ?? 0) + 1);
  }

  finished(code: string): void {
    const left = (this.running.get(code) ?? 1) - 1;
    if (left > 0) this.running.set(code, left);
    else this.running.delete(code);
    const queue = this.waiters.get(code);
    queue?.shift()?.();
    if (queue?.length === 0) this.waiters.delete(code);
  }

  /** Waits for a call of the agency in this process to end; false when there is none to wait for. */
  async waitForSlot(entry: AgencyEntry): Promise<boolean> {
    const queue = this.waiters.get(entry.code) ?? [];
    if ((this.running.get(entry.code) ?? 0) === 0 || queue.length >= entry.settings.concurrency) return false;
    this.waiters.set(entry.code, queue);
    await new Promise<void>((resolve) => queue.push(resolve));
    return true;
  }
}

/** A job for an agency this process does not serve (yet): another try after this long. */
const UNKNOWN_AGENCY_RETRY_MS = 2_000;

/**
 * The one BullMQ worker of a process on the shared delivery queue (one blocking Redis
 * connection in all), and the check of the open circuits (one query per tick in all).
 */
export class DeliveryWorker {
  private readonly worker: Worker<AgencyJobData, void, AgencyJobName>;
  private readonly local = new LocalSlots();
  private readonly ticker: NodeJS.Timeout;
  private tick?: Promise<void>;
  private closing = false;

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.worker = new Worker<AgencyJobData, void, AgencyJobName>(
      o.queue.name,
      (job, token, signal) => this.run(job, token, signal),
      {
        connection: o.redis,
        prefix: o.bullPrefix,
        concurrency: o.slots,
        // BullMQ fails a job that stalls too often without telling us; we dead-letter it first.
        maxStalledCount: MAX_STALLS + 1,
        // A worker that dies (kill -9) holds its jobs until the lock expires; locks are renewed
        // every lockDuration / 2 while a job runs, so a short lock only shortens recovery.
        lockDuration: 15_000,
        stalledInterval: 5_000,
        settings: {
          backoffStrategy: agencyBackoffStrategy((code) => o.entries.get(code)?.settings, o.random),
        },
      },
    );
    this.worker.on('error', (error) => o.report(error, `worker of ${o.queue.name}`));
    this.ticker = setInterval(() => void this.checkCircuits(), o.circuitCheckIntervalMs);
    this.ticker.unref();
  }

  /** Graceful stop: take no new jobs, let active ones finish (aborting them after the timeout). */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.ticker);
    await this.tick;
    let timer: NodeJS.Timeout | undefined;
    const closing = this.worker.close();
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.o.shutdownTimeoutMs);
    });
    // Aborted handlers fail as TEMPORARY, so their jobs are retried later, not lost.
    if ((await Promise.race([closing, timedOut])) === 'timeout')
      this.worker.cancelAllJobs('worker shutting down');
    await closing;
    clearTimeout(timer);
  }

  /** Asks the job's agency gate for a slot, runs the job, frees the slot and wakes the next. */
  private async run(job: AgencyBullJob, token?: string, signal?: AbortSignal): Promise<void> {
    const entry = this.o.entries.get(job.data.payload?.agencyCode);
    const jobId = job.id ?? '';
    if (!entry) return this.park(job, token, UNKNOWN_AGENCY_RETRY_MS);
    if (!job.data.pendingDeadLetter) {
      for (;;) {
        const gate = await entry.gate.acquire(jobId, entry.settings);
        if (gate.ok) break;
        if (gate.why === 'concurrency' && (await this.local.waitForSlot(entry))) continue;
        const delay = gate.why === 'rate' ? gate.retryInMs : PARK_MS[gate.why];
        return this.park(job, token, delay + Math.floor(this.o.random() * 50));
      }
    }
    this.local.started(entry.code);
    let outcome: RunOutcome = 'none';
    let retryAt = 0;
    try {
      await entry.process(job, token, signal);
      outcome = 'done';
    } catch (error) {
      if (error instanceof ScheduledRetryError) {
        outcome = 'retry';
        retryAt = Date.now() + error.delayMs;
      } else if (error instanceof UnrecoverableError) outcome = 'dead';
      throw error;
    } finally {
      // A job of this process waiting for the slot takes it, and a parked one is woken to
      // take the waiter's place, so the agency's line here stays full without polling.
      const next = await entry.gate
        .release(jobId, outcome, entry.settings.concurrency, retryAt, this.o.failedKeepMs)
        .catch((error: unknown) => {
          this.o.report(error, `releasing job ${jobId} of ${entry.code}`);
          return [];
        });
      this.local.finished(entry.code);
      for (const id of next) void promoteJob(this.o.queue, id);
    }
  }

  private async park(job: AgencyBullJob, token: string | undefined, delayMs: number): Promise<never> {
    await job.moveToDelayed(Date.now() + delayMs, token);
    throw new DelayedError();
  }

  /** Probes the open circuits that are due, among the agencies this process serves. */
  private async checkCircuits(): Promise<void> {
    if (this.tick || this.closing) return;
    this.tick = (async () => {
      const due = await this.o.redis.zrangebyscore(this.o.openSetKey, '-inf', Date.now());
      const served = due.flatMap((code) => this.o.entries.get(code) ?? []);
      await Promise.all(
        served.map((entry) =>
          entry.breaker
            .probeIfDue()
            .catch((error: unknown) => this.o.report(error, `circuit probe of ${entry.code}`)),
        ),
      );
    })().catch((error: unknown) => this.o.report(error, 'circuit check'));
    await this.tick;
    this.tick = undefined;
  }
}

/**
 * Moves a parked (delayed) job to the line now. The job may still be on its way: booked as
 * parked by the enqueue a moment before BullMQ has it, or being moved to the delayed set by
 * another process. Then it is looked for and tried again briefly (about half a second); if it
 * never arrives, its own park time brings it back.
 */
export async function promoteJob(queue: Queue, jobId: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const job = await queue.getJob(jobId).catch(() => undefined);
    if (job) {
      const promoted = await job.promote().then(
        () => true,
        () => false,
      );
      if (promoted) return;
      const state = await job.getState().catch(() => 'unknown');
      // Waiting or running already, or finished: nothing to wake.
      if (state !== 'active' && state !== 'delayed' && state !== 'unknown') return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
