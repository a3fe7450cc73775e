import { KeepJobs, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { AgencyJobName, AgencyJobPayloads, agencyQueueName, isAgencyJobName } from './agency-jobs';
import {
  AGENCY_BACKOFF_TYPE,
  AgencyJobData,
  agencyBackoffStrategy,
  createAgencyProcessor,
} from './agency-job-processor';
import { assertAgencyQueueSettings, limiterChanged } from './agency-queue-settings';
import type { AgencyQueueHooks, AgencyQueueSettings } from './agency-queue.types';
import { CircuitBreaker, CircuitSnapshot } from './circuit-breaker';

/** How the manager reaches Redis and names things there. */
export interface AgencyQueueManagerOptions {
  /** Redis URL, or a connection to share (created with `maxRetriesPerRequest: null`). */
  connection: string | Redis;
  /** Queues are named `<queuePrefix>.<agency code>`; tests use a unique one each. */
  queuePrefix: string;
  /** BullMQ's key prefix (default `bull`). */
  bullPrefix?: string;
  /** Prefix of the circuit breaker keys (default `bridge`). */
  keyPrefix?: string;
  hooks: AgencyQueueHooks;
  /** False in processes that only enqueue and pause (the gateway): no workers, no probes. */
  runWorkers?: boolean;
  /** How often open circuits are checked for a due probe (default 1 s). */
  circuitCheckIntervalMs?: number;
  /** Finished jobs kept, so a re-enqueue of the same job id stays a no-op (default 1 day). */
  keepCompleted?: KeepJobs;
  /** Dead-lettered jobs kept for inspection (default 7 days). */
  keepFailed?: KeepJobs;
  /** Wait before retrying a failed `onDeadLetter` (default 30 s). */
  deadLetterRetryMs?: number;
  /** `close()` waits this long for active jobs, then aborts them (default 30 s). */
  shutdownTimeoutMs?: number;
  /** Randomness for jitter, injectable for tests. */
  random?: () => number;
}

/** Jobs of one agency by state. */
export interface AgencyQueueCounts {
  /** Ready to run now. */
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Ready, but held by a pause (operator or circuit). */
  paused: number;
  completed: number;
}

/** The delivery state of one agency for the ops overview. */
export interface AgencyQueueState extends CircuitSnapshot {
  /** Whether the queue is paused, by the breaker or by an operator. */
  queuePaused: boolean;
}

/** A job whose worker died (or lost its lock) this many times is dead-lettered. */
const MAX_STALLS = 3;

/** One job for {@link AgencyQueueManager.enqueueBatch}. */
export interface EnqueueRequest {
  name: AgencyJobName;
  payload: AgencyJobPayloads[AgencyJobName];
  jobId: string;
  delayMs?: number;
}

interface AgencyEntry {
  code: string;
  queueName: string;
  queue: Queue<AgencyJobData, void, AgencyJobName>;
  worker?: Worker<AgencyJobData, void, AgencyJobName>;
  settings: AgencyQueueSettings;
  breaker: CircuitBreaker;
}

/**
 * One BullMQ queue, worker and circuit breaker per agency, so a slow or failing agency never
 * holds back the others. Pauses are global (stored in Redis): every worker process obeys them.
 */
export class AgencyQueueManager {
  private readonly redis: Redis;
  private readonly ownsRedis: boolean;
  private readonly entries = new Map<string, AgencyEntry>();
  private readonly serial = new Map<string, Promise<unknown>>();
  private readonly ticker?: NodeJS.Timeout;
  private tick?: Promise<void>;
  private closing = false;

  constructor(private readonly options: AgencyQueueManagerOptions) {
    agencyQueueName(options.queuePrefix, 'check'); // refuses a bad prefix now, not at the first agency
    this.ownsRedis = typeof options.connection === 'string';
    this.redis =
      typeof options.connection === 'string'
        ? new Redis(options.connection, { maxRetriesPerRequest: null })
        : options.connection;
    if (this.ownsRedis) this.redis.on('error', (error) => this.report(error, 'redis connection'));
    if (options.runWorkers ?? true) {
      this.ticker = setInterval(() => void this.checkCircuits(), options.circuitCheckIntervalMs ?? 1_000);
      this.ticker.unref();
    }
  }

  /**
   * Creates the agency's queue, worker and breaker, or applies new settings to them without a
   * restart: concurrency changes live, a new rate limit replaces the worker. Idempotent.
   */
  async ensureAgency(agencyCode: string, settings: AgencyQueueSettings): Promise<void> {
    assertAgencyQueueSettings(agencyCode, settings);
    await this.serialize(agencyCode, async () => {
      if (this.closing) throw new Error(`agency ${agencyCode}: the queue manager is closing`);
      const entry = this.entries.get(agencyCode);
      if (!entry) return void this.entries.set(agencyCode, this.createEntry(agencyCode, settings));
      const before = entry.settings;
      entry.settings = settings;
      entry.breaker.reconfigure(settings.circuit);
      if (!entry.worker) return;
      if (limiterChanged(before, settings)) {
        // Start the replacement first so the agency never stops; the old one finishes its jobs.
        const old = entry.worker;
        entry.worker = this.createWorker(entry);
        await this.closeWorker(old);
      } else if (before.concurrency !== settings.concurrency) {
        entry.worker.concurrency = settings.concurrency;
      }
    });
  }

  /**
   * Adds a job unless one with the same id is kept already (waiting, active, delayed or
   * completed): then nothing happens and `created` is false. A dead-lettered (failed) job with
   * that id is replaced, because enqueuing it again is a replay.
   */
  async enqueue<N extends AgencyJobName>(
    name: N,
    payload: AgencyJobPayloads[N],
    options: { jobId: string; delayMs?: number },
  ): Promise<{ jobId: string; created: boolean }> {
    const [created] = await this.enqueueBatch([
      { name, payload, jobId: options.jobId, delayMs: options.delayMs },
    ]);
    return { jobId: options.jobId, created };
  }

  /**
   * {@link enqueue} for many jobs at once, in order, with a few Redis round trips in all rather
   * than two per job: which ids are kept already is asked in one pipeline, and the new jobs of
   * each agency are added in one MULTI. Returns, per job, whether it was created.
   */
  async enqueueBatch(jobs: readonly EnqueueRequest[]): Promise<boolean[]> {
    const entries = jobs.map(({ name, payload, jobId }) => {
      if (!isAgencyJobName(name)) throw new Error(`unknown agency job name "${String(name)}"`);
      assertPayload(payload);
      if (typeof jobId !== 'string' || jobId.length === 0)
        throw new Error('jobId must be a non-empty string');
      return this.entryOf(payload.agencyCode);
    });
    if (jobs.length === 0) return [];
    const probe = this.redis.pipeline();
    jobs.forEach((job, i) => probe.exists(entries[i].queue.toKey(job.jobId)));
    const kept = ((await probe.exec()) ?? []).map(([error, count]) => {
      if (error) throw error;
      return count === 1;
    });
    const created = jobs.map(() => true);
    for (const [i, job] of jobs.entries()) {
      if (!kept[i]) continue;
      const existing = await entries[i].queue.getJob(job.jobId);
      if (existing && (await existing.getState()) !== 'failed') created[i] = false;
      else await existing?.remove();
    }
    const byAgency = new Map<AgencyEntry, EnqueueRequest[]>();
    jobs.forEach((job, i) => {
      if (created[i]) byAgency.set(entries[i], [...(byAgency.get(entries[i]) ?? []), job]);
    });
    for (const [entry, fresh] of byAgency) {
      await entry.queue.addBulk(
        fresh.map(({ name, payload, jobId, delayMs }) => ({
          name,
          data: { payload, failures: [] },
          opts: {
            jobId,
            delay: delayMs,
            attempts: entry.settings.retry.maxAttempts,
            backoff: { type: AGENCY_BACKOFF_TYPE },
            removeOnComplete: this.options.keepCompleted ?? { age: 24 * 3600 },
            removeOnFail: this.options.keepFailed ?? { age: 7 * 24 * 3600 },
          },
        })),
      );
    }
    return created;
  }

  /** An operator stops the agency: every worker process stops taking its jobs until `resume`. */
  async pause(agencyCode: string): Promise<void> {
    const entry = this.entryOf(agencyCode);
    await entry.breaker.setPausedByOperator(true);
    await entry.queue.pause();
  }

  /** An operator restarts the agency; this overrides the breaker (the circuit closes). */
  async resume(agencyCode: string): Promise<void> {
    const entry = this.entryOf(agencyCode);
    await entry.breaker.setPausedByOperator(false);
    await entry.breaker.forceClose();
    await entry.queue.resume();
  }

  /** Jobs by state; while the queue is paused its ready jobs count as `paused`, not `waiting`. */
  async counts(agencyCode: string): Promise<AgencyQueueCounts> {
    const queue = this.entryOf(agencyCode).queue;
    const [c, isPaused] = await Promise.all([
      queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
      queue.isPaused(),
    ]);
    const ready = (c.waiting ?? 0) + (c.prioritized ?? 0);
    return {
      waiting: isPaused ? 0 : ready,
      paused: isPaused ? ready : 0,
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
    };
  }

  /** The circuit and pause state of the agency, as every process sees it. */
  async state(agencyCode: string): Promise<AgencyQueueState> {
    const entry = this.entryOf(agencyCode);
    const [snapshot, queuePaused] = await Promise.all([entry.breaker.snapshot(), entry.queue.isPaused()]);
    return { ...snapshot, queuePaused };
  }

  /** The agencies this process serves. */
  agencies(): string[] {
    return [...this.entries.keys()];
  }

  /** The BullMQ queue name of an agency (for dashboards). */
  queueName(agencyCode: string): string {
    return agencyQueueName(this.options.queuePrefix, agencyCode);
  }

  /**
   * Stops serving an agency in this process (its active jobs finish first). With
   * `discardJobs` its jobs and circuit state are deleted from Redis for good.
   */
  async removeAgency(agencyCode: string, options: { discardJobs?: boolean } = {}): Promise<void> {
    await this.serialize(agencyCode, async () => {
      const entry = this.entries.get(agencyCode);
      if (!entry) return;
      this.entries.delete(agencyCode);
      if (entry.worker) await this.closeWorker(entry.worker);
      if (options.discardJobs) {
        await entry.queue.obliterate({ force: true });
        await entry.breaker.forget();
      }
      await entry.queue.close();
    });
  }

  /** Graceful stop: take no new jobs, let active ones finish (aborting them after the timeout). */
  async close(): Promise<void> {
    this.closing = true;
    if (this.ticker) clearInterval(this.ticker);
    await this.tick;
    await Promise.all([...this.serial.values()].map((p) => p.catch(() => undefined)));
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map(async (e) => (e.worker ? this.closeWorker(e.worker) : undefined)));
    await Promise.all(entries.map((e) => e.queue.close()));
    if (this.ownsRedis) await this.redis.quit();
  }

  private createEntry(code: string, settings: AgencyQueueSettings): AgencyEntry {
    const queueName = this.queueName(code);
    const queue = new Queue<AgencyJobData, void, AgencyJobName>(queueName, {
      connection: this.redis,
      prefix: this.options.bullPrefix,
    });
    queue.on('error', (error) => this.report(error, `queue ${queueName}`));
    const breaker = new CircuitBreaker(
      code,
      settings.circuit,
      this.redis,
      `${this.options.keyPrefix ?? 'bridge'}:${queueName}`,
      { pause: () => queue.pause(), resume: () => queue.resume() },
      {
        probe: (agency) => this.options.hooks.probe(agency),
        onOpened: (agency, info) => this.options.hooks.onCircuitOpened?.(agency, info),
        onClosed: (agency, info) => this.options.hooks.onCircuitClosed?.(agency, info),
      },
    );
    const entry: AgencyEntry = { code, queueName, queue, settings, breaker };
    if (this.options.runWorkers ?? true) entry.worker = this.createWorker(entry);
    return entry;
  }

  private createWorker(entry: AgencyEntry): Worker<AgencyJobData, void, AgencyJobName> {
    const ctx = {
      queueName: entry.queueName,
      settings: () => entry.settings,
      hooks: this.options.hooks,
      breaker: entry.breaker,
      random: this.options.random ?? Math.random,
      deadLetterRetryMs: this.options.deadLetterRetryMs ?? 30_000,
      maxStalls: MAX_STALLS,
    };
    const rate = entry.settings.rateLimit;
    const worker = new Worker<AgencyJobData, void, AgencyJobName>(
      entry.queueName,
      createAgencyProcessor(ctx),
      {
        connection: this.redis,
        prefix: this.options.bullPrefix,
        concurrency: entry.settings.concurrency,
        // BullMQ fails a job that stalls too often without telling us; we dead-letter it first.
        maxStalledCount: MAX_STALLS + 1,
        // A worker that dies (kill -9) holds its jobs until the lock expires; locks are renewed
        // every lockDuration / 2 while a job runs, so a short lock only shortens recovery.
        lockDuration: 15_000,
        stalledInterval: 5_000,
        limiter: rate ? { max: rate.max, duration: rate.durationMs } : undefined,
        settings: { backoffStrategy: agencyBackoffStrategy(ctx) },
      },
    );
    worker.on('error', (error) => this.report(error, `worker of ${entry.queueName}`));
    return worker;
  }

  private async closeWorker(worker: Worker<AgencyJobData, void, AgencyJobName>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closing = worker.close();
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs ?? 30_000);
    });
    // Aborted handlers fail as TEMPORARY, so their jobs are retried later, not lost.
    if ((await Promise.race([closing, timedOut])) === 'timeout') worker.cancelAllJobs('worker shutting down');
    await closing;
    clearTimeout(timer);
  }

  private async checkCircuits(): Promise<void> {
    if (this.tick || this.closing) return;
    const entries = [...this.entries.values()];
    this.tick = Promise.all(
      entries.map((e) =>
        e.breaker.probeIfDue().catch((error) => this.report(error, `circuit probe of ${e.code}`)),
      ),
    ).then(() => undefined);
    await this.tick;
    this.tick = undefined;
  }

  private entryOf(agencyCode: string): AgencyEntry {
    const entry = this.entries.get(agencyCode);
    if (!entry) throw new Error(`agency ${agencyCode} has no delivery queue here; call ensureAgency first`);
    return entry;
  }

  /** Runs the changes of one agency one after the other. */
  private async serialize<T>(agencyCode: string, work: () => Promise<T>): Promise<T> {
    const previous = this.serial.get(agencyCode) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.serial.set(agencyCode, next);
    try {
      return await next;
    } finally {
      if (this.serial.get(agencyCode) === next) this.serial.delete(agencyCode);
    }
  }

  private report(error: unknown, context: string): void {
    this.options.hooks.onInternalError?.(error, context);
  }
}

function assertPayload(payload: AgencyJobPayloads[AgencyJobName]): void {
  const problems: string[] = [];
  if (typeof payload?.agencyCode !== 'string' || payload.agencyCode.length === 0)
    problems.push('agencyCode must be a non-empty string');
  if (typeof payload?.correlationId !== 'string' || payload.correlationId.length === 0)
    problems.push('correlationId must be a non-empty string');
  if (payload?.data === null || typeof payload?.data !== 'object') problems.push('data must be an object');
  if (problems.length > 0) throw new Error(`invalid agency job payload: ${problems.join('; ')}`);
}
