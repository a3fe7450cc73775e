import { KeepJobs, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { AgencyGate } from './agency-gate';
import { bookJobs } from './agency-booking';
import {
  AgencyJobName,
  AgencyJobPayloads,
  agencyQueueName,
  isAgencyJobName,
  sharedAgencyQueueName,
} from './agency-jobs';
import { AGENCY_BACKOFF_TYPE, AgencyJobData, createAgencyProcessor } from './agency-job-processor';
import { assertAgencyQueueSettings } from './agency-queue-settings';
import type { AgencyQueueHooks, AgencyQueueSettings } from './agency-queue.types';
import { CircuitBreaker, CircuitSnapshot } from './circuit-breaker';
import { queueCountsOf, queueStateOf, readCountsAndStates } from './agency-queue-views';
import { AgencyEntry, DeliveryWorker, MAX_STALLS, promoteJob } from './delivery-worker';

/** How the manager reaches Redis and names things there. */
export interface AgencyQueueManagerOptions {
  /** Redis URL, or a connection to share (created with `maxRetriesPerRequest: null`). */
  connection: string | Redis;
  /**
   * The shared delivery queue is named `<queuePrefix>.all-agencies`, and each agency's keys sit
   * under `<keyPrefix>:<queuePrefix>.<agency code>`; tests use a unique prefix each.
   */
  queuePrefix: string;
  /** BullMQ's key prefix (default `bull`). */
  bullPrefix?: string;
  /** Prefix of the per-agency keys (default `bridge`). */
  keyPrefix?: string;
  hooks: AgencyQueueHooks;
  /** False in processes that only enqueue and pause (the gateway): no worker, no probes. */
  runWorkers?: boolean;
  /**
   * Agency jobs this process runs at once, all agencies together (default 64). Each agency
   * stays within its own `concurrency` across every process, whatever this is.
   */
  workerSlots?: number;
  /** How often the set of open circuits is checked for a due probe (default 1 s). */
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
  /** Ready to run now, or waiting for a free slot or the rate limit. */
  waiting: number;
  active: number;
  /** Waiting for a retry. */
  delayed: number;
  /** Dead-lettered and still kept. */
  failed: number;
  /** Ready, but held by a pause (operator or circuit). */
  paused: number;
  completed: number;
}

/** The delivery state of one agency for the ops overview. */
export interface AgencyQueueState extends CircuitSnapshot {
  /** Whether the agency's jobs are held, by the breaker or by an operator. */
  queuePaused: boolean;
}

/** One job for {@link AgencyQueueManager.enqueueBatch}. */
export interface EnqueueRequest {
  name: AgencyJobName;
  payload: AgencyJobPayloads[AgencyJobName];
  jobId: string;
  delayMs?: number;
}

const DAY_S = 24 * 3600;

/**
 * A job parked when enqueued (its agency has a backlog) is woken by a freed slot; this is only
 * the fall-back if every wake-up were lost.
 */
const PARKED_AT_ENQUEUE_MS = 20_000;

/**
 * Delivery to every agency through ONE shared BullMQ queue and one worker per process, so what
 * a process costs at rest does not grow with the number of agencies. Each agency keeps its own
 * concurrency and rate limit (held in Redis across every process by {@link AgencyGate}), retry
 * policy, circuit breaker and pause; a job its agency may not take now leaves the line at once
 * (it is parked as a delayed job and woken when a slot frees), so a slow or dead agency never
 * holds back the jobs of the others. See docs/architecture.md, "Agency queues at national scale".
 */
export class AgencyQueueManager {
  private readonly redis: Redis;
  private readonly ownsRedis: boolean;
  private readonly queue: Queue<AgencyJobData, void, AgencyJobName>;
  private readonly jobKey = (jobId: string) => this.queue.toKey(jobId);
  private readonly sharedName: string;
  private readonly openSetKey: string;
  private readonly entries = new Map<string, AgencyEntry>();
  private readonly worker?: DeliveryWorker;
  private closed?: Promise<void>;
  private closing = false;

  constructor(private readonly options: AgencyQueueManagerOptions) {
    this.sharedName = sharedAgencyQueueName(options.queuePrefix);
    this.ownsRedis = typeof options.connection === 'string';
    this.redis =
      typeof options.connection === 'string'
        ? new Redis(options.connection, { maxRetriesPerRequest: null })
        : options.connection;
    if (this.ownsRedis) this.redis.on('error', (error) => this.report(error, 'redis connection'));
    this.openSetKey = `${options.keyPrefix ?? 'bridge'}:${this.sharedName}:open-circuits`;
    this.queue = new Queue<AgencyJobData, void, AgencyJobName>(this.sharedName, {
      connection: this.redis,
      prefix: options.bullPrefix,
    });
    this.queue.on('error', (error) => this.report(error, `queue ${this.sharedName}`));
    if (options.runWorkers ?? true) {
      this.worker = new DeliveryWorker({
        queue: this.queue,
        redis: this.redis,
        bullPrefix: options.bullPrefix,
        slots: options.workerSlots ?? 64,
        entries: this.entries,
        openSetKey: this.openSetKey,
        circuitCheckIntervalMs: options.circuitCheckIntervalMs ?? 1_000,
        failedKeepMs: keptMs(options.keepFailed, 7 * DAY_S),
        shutdownTimeoutMs: options.shutdownTimeoutMs ?? 30_000,
        random: options.random ?? Math.random,
        report: (error, context) => this.report(error, context),
      });
    }
  }

  /** Serves an agency in this process, or applies its new settings at once. Idempotent. */
  async ensureAgency(agencyCode: string, settings: AgencyQueueSettings): Promise<void> {
    assertAgencyQueueSettings(agencyCode, settings);
    if (this.closing) throw new Error(`agency ${agencyCode}: the queue manager is closing`);
    const entry = this.entries.get(agencyCode);
    if (entry) {
      entry.breaker.reconfigure(settings.circuit);
      entry.settings = settings;
      return Promise.resolve();
    }
    this.entries.set(agencyCode, this.createEntry(agencyCode, settings));
    return Promise.resolve();
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
   * {@link enqueue} for many jobs at once, in order, with two Redis round trips in all: the jobs
   * are booked to their agencies by scripts that also say which are kept already (those are not
   * booked), and the new ones are added in one more. Returns, per job, whether it was created.
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
    // Booking asks, in the same script, whether a job is kept already: one round trip per batch.
    const first = await bookJobs(this.jobKey, jobs, entries, [...jobs.keys()], true);
    const created = jobs.map((job) => !first.kept.has(job.jobId));
    for (const [i, job] of jobs.entries()) {
      if (created[i]) continue;
      const existing = await this.queue.getJob(job.jobId);
      // A dead-lettered (failed) job is replaced: enqueuing it again is a replay.
      if (existing && (await existing.getState()) !== 'failed') continue;
      await existing?.remove();
      created[i] = true;
    }
    const parked = first.parked;
    // The agencies with kept jobs booked nothing: their new and replayed jobs are booked now, in order.
    const rest = first.unbooked.filter((i) => created[i]);
    if (rest.length > 0)
      for (const id of (await bookJobs(this.jobKey, jobs, entries, rest, false)).parked) parked.add(id);
    const fresh = jobs.filter((_, i) => created[i]);
    if (fresh.length === 0) return created;
    await this.queue.addBulk(
      fresh.map(({ name, payload, jobId, delayMs }) => ({
        name,
        data: { payload, failures: [] },
        opts: {
          jobId,
          delay: parked.has(jobId) ? PARKED_AT_ENQUEUE_MS : delayMs,
          attempts: this.entryOf(payload.agencyCode).settings.retry.maxAttempts,
          backoff: { type: AGENCY_BACKOFF_TYPE },
          removeOnComplete: this.options.keepCompleted ?? { age: DAY_S },
          removeOnFail: this.options.keepFailed ?? { age: 7 * DAY_S },
        },
      })),
    );
    return created;
  }

  /** An operator stops the agency: every worker process stops taking its jobs until `resume`. */
  async pause(agencyCode: string): Promise<void> {
    await this.entryOf(agencyCode).breaker.setPausedByOperator(true);
  }

  /** An operator restarts the agency; this overrides the breaker (the circuit closes). */
  async resume(agencyCode: string): Promise<void> {
    const entry = this.entryOf(agencyCode);
    await entry.breaker.setPausedByOperator(false);
    await entry.breaker.forceClose();
    await this.wakeParked(entry);
  }

  /** Jobs by state; while the agency is held its ready jobs count as `paused`, not `waiting`. */
  async counts(agencyCode: string): Promise<AgencyQueueCounts> {
    return queueCountsOf(await this.entryOf(agencyCode).gate.counts());
  }

  /** The circuit and pause state of the agency, as every process sees it. */
  async state(agencyCode: string): Promise<AgencyQueueState> {
    return queueStateOf(await this.entryOf(agencyCode).breaker.snapshot());
  }

  /**
   * Counts and state of many agencies in one Redis round trip (one pipeline), for the ops
   * overview: a thousand agencies cost one exchange, not three thousand. Agencies this process
   * does not serve are left out of the answer.
   */
  async countsAndStates(
    agencyCodes: readonly string[],
  ): Promise<Map<string, { counts: AgencyQueueCounts; state: AgencyQueueState }>> {
    const served = agencyCodes.flatMap((code) => {
      const entry = this.entries.get(code);
      return entry ? [entry] : [];
    });
    return readCountsAndStates(this.redis, served);
  }

  /** The agencies this process serves. */
  agencies(): string[] {
    return [...this.entries.keys()];
  }

  /** The BullMQ queue that carries the agency's jobs (the shared one; for dashboards). */
  queueName(agencyCode: string): string {
    void agencyCode;
    return this.sharedName;
  }

  /**
   * Stops serving an agency in this process (jobs already running finish). With `discardJobs`
   * its jobs and circuit state are deleted from Redis for good.
   */
  async removeAgency(agencyCode: string, options: { discardJobs?: boolean } = {}): Promise<void> {
    const entry = this.entries.get(agencyCode);
    if (!entry) return;
    this.entries.delete(agencyCode);
    if (!options.discardJobs) return;
    for (const id of await entry.gate.knownJobIds()) {
      // An active job is locked and stays; it finishes and is forgotten with the rest.
      await this.queue.remove(id).catch(() => undefined);
    }
    await entry.gate.forget();
    await entry.breaker.forget();
  }

  /**
   * Graceful stop: take no new jobs, let active ones finish (aborting them after the timeout).
   * Closing again waits for the first close (a second `quit` would fail on a closed connection).
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      await this.worker?.close();
      this.entries.clear();
      await this.queue.close();
      if (this.ownsRedis) await this.redis.quit();
    })();
    return this.closed;
  }

  private createEntry(code: string, settings: AgencyQueueSettings): AgencyEntry {
    // The per-agency key base is the name of the agency's queue before queues were shared, so
    // circuits and pauses stored then are still read.
    const keyBase = `${this.options.keyPrefix ?? 'bridge'}:${agencyQueueName(this.options.queuePrefix, code)}`;
    const holder: { entry?: AgencyEntry } = {};
    const breaker = new CircuitBreaker(
      code,
      settings.circuit,
      this.redis,
      keyBase,
      this.openSetKey,
      // The gate reads the circuit itself; closing it only has to wake what it held.
      { pause: async () => undefined, resume: () => this.wakeParked(holder.entry!) },
      {
        probe: (agency) => this.options.hooks.probe(agency),
        onOpened: (agency, info) => this.options.hooks.onCircuitOpened?.(agency, info),
        onClosed: (agency, info) => this.options.hooks.onCircuitClosed?.(agency, info),
      },
    );
    const gate = new AgencyGate(
      this.redis,
      keyBase,
      breaker.stateKeys.circuit,
      breaker.stateKeys.operatorPaused,
    );
    const entry: AgencyEntry = { code, settings, breaker, gate, process: undefined! };
    entry.process = createAgencyProcessor({
      queueName: this.sharedName,
      settings: () => entry.settings,
      hooks: this.options.hooks,
      breaker,
      random: this.options.random ?? Math.random,
      deadLetterRetryMs: this.options.deadLetterRetryMs ?? 30_000,
      maxStalls: MAX_STALLS,
    });
    holder.entry = entry;
    return entry;
  }

  /** Wakes every job the agency's gate parked (after a resume or a closed circuit). */
  private async wakeParked(entry: AgencyEntry): Promise<void> {
    for (;;) {
      const ids = await entry.gate.takeParked(500);
      await Promise.all(ids.map((id) => promoteJob(this.queue, id)));
      if (ids.length < 500) return;
    }
  }

  private entryOf(agencyCode: string): AgencyEntry {
    const entry = this.entries.get(agencyCode);
    if (!entry) throw new Error(`agency ${agencyCode} has no delivery queue here; call ensureAgency first`);
    return entry;
  }

  private report(error: unknown, context: string): void {
    this.options.hooks.onInternalError?.(error, context);
  }
}

function keptMs(keep: KeepJobs | undefined, fallbackS: number): number {
  return (keep && 'age' in keep && keep.age ? keep.age : fallbackS) * 1000;
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
