import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { IntegrationError } from '@bridge/adapter-sdk';
import type { CircuitClosedInfo, CircuitOpenedInfo, CircuitSettings } from './agency-queue.types';
import { runWithTimeLimit } from './time-limit';

/** Where the circuit of an agency stands. */
export type CircuitStateName = 'closed' | 'open' | 'half_open';

/** The circuit of one agency as every process sees it. */
export interface CircuitSnapshot {
  state: CircuitStateName;
  /** Consecutive transient failures since the last success. */
  consecutiveFailures: number;
  openedAt?: Date;
  /** When the next health probe may run (open / half-open only). */
  probeAt?: Date;
  /** An operator paused the agency; only an operator resumes it. */
  pausedByOperator: boolean;
}

/**
 * The snapshot from the circuit hash and whether the operator flag exists: shared by
 * {@link CircuitBreaker.snapshot} and readers that fetch many agencies' keys in one pipeline.
 */
export function circuitSnapshotOf(hash: Record<string, string>, pausedByOperator: boolean): CircuitSnapshot {
  const state = (hash.state as CircuitStateName | undefined) ?? 'closed';
  const time = (value?: string) => (value && Number(value) > 0 ? new Date(Number(value)) : undefined);
  return {
    state,
    consecutiveFailures: Number(hash.failures ?? 0),
    openedAt: state === 'closed' ? undefined : time(hash.openedAt),
    probeAt: state === 'closed' ? undefined : time(hash.probeAt),
    pausedByOperator,
  };
}

/** How the breaker stops and restarts an agency's queue (globally, for every worker). */
export interface QueuePauseControl {
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/** What the breaker calls out to. */
export interface CircuitBreakerHooks {
  probe(agencyCode: string): Promise<boolean>;
  onOpened?(agencyCode: string, info: CircuitOpenedInfo): Promise<void> | void;
  onClosed?(agencyCode: string, info: CircuitClosedInfo): Promise<void> | void;
}

// Counting and opening in one script, so with many workers exactly one sees "opened". An open
// circuit is also listed in the set of open circuits (KEYS[2], agency → probe time), so finding
// the probes due is one query however many agencies there are.
const RECORD_FAILURE = `
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
if state ~= 'closed' then return {0, 0} end
local n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if n >= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'state', 'open', 'openedAt', ARGV[2], 'probeAt', ARGV[3])
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
  return {1, n}
end
return {0, n}`;

// Moves state only from the expected one: an operator's resume may have closed it meanwhile.
const COMPARE_AND_SET = `
local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
if state ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2], 'probeAt', ARGV[3], 'failures', ARGV[4])
if ARGV[2] == 'closed' then redis.call('ZREM', KEYS[2], ARGV[5])
else redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5]) end
return 1`;

const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const DEFAULT_PROBE_TIMEOUT_MS = 10_000;

/**
 * The circuit breaker of one agency. Its state lives in Redis so every worker process counts
 * into the same circuit, sees it open, and only one of them runs the health probe.
 */
export class CircuitBreaker {
  private readonly circuitKey: string;
  private readonly lockKey: string;
  private readonly operatorKey: string;

  /**
   * @param keyBase Redis key prefix unique to this agency.
   * @param openSetKey the sorted set of open circuits shared by every agency (agency → probe time).
   */
  constructor(
    readonly agencyCode: string,
    private settings: CircuitSettings,
    private readonly redis: Redis,
    keyBase: string,
    private readonly openSetKey: string,
    private readonly queue: QueuePauseControl,
    private readonly hooks: CircuitBreakerHooks,
  ) {
    assertCircuitSettings(settings);
    this.circuitKey = `${keyBase}:circuit`;
    this.lockKey = `${keyBase}:circuit-probe-lock`;
    this.operatorKey = `${keyBase}:operator-paused`;
  }

  /** The Redis keys the delivery gate reads to hold the agency's jobs. */
  get stateKeys(): { circuit: string; operatorPaused: string } {
    return { circuit: this.circuitKey, operatorPaused: this.operatorKey };
  }

  /** Applies new thresholds; the current state is kept. */
  reconfigure(settings: CircuitSettings): void {
    assertCircuitSettings(settings);
    this.settings = settings;
  }

  /**
   * A job failed. Only transient failures count: a permanent one says nothing about whether
   * the agency is up. Returns true when this failure opened the circuit (and paused the queue).
   */
  async recordFailure(error: IntegrationError): Promise<boolean> {
    if (!error.transient) return false;
    const now = Date.now();
    const probeAt = now + this.settings.openMs;
    const [opened, failures] = (await this.redis.eval(
      RECORD_FAILURE,
      2,
      this.circuitKey,
      this.openSetKey,
      this.settings.failureThreshold,
      now,
      probeAt,
      this.agencyCode,
    )) as [number, number];
    if (opened !== 1) return false;
    await this.queue.pause();
    await this.hooks.onOpened?.(this.agencyCode, {
      failures,
      lastError: { code: error.code, message: error.message },
      openedAt: new Date(now),
      probeAt: new Date(probeAt),
    });
    return true;
  }

  /**
   * Runs the health probe when the circuit is open and its time has come, in at most one
   * process (SET NX PX lock). Success closes the circuit and resumes the queue unless an
   * operator paused it; failure keeps it open for another `openMs`. Returns the state after.
   */
  async probeIfDue(): Promise<CircuitStateName> {
    const before = await this.snapshot();
    if (before.state === 'closed') {
      await this.redis.zrem(this.openSetKey, this.agencyCode); // listed by mistake (a crash between writes)
      return before.state;
    }
    if ((before.probeAt?.getTime() ?? 0) > Date.now()) return before.state;
    const timeoutMs = this.settings.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    const token = randomUUID();
    const locked = await this.redis.set(this.lockKey, token, 'PX', timeoutMs + 5_000, 'NX');
    if (locked !== 'OK') return before.state;
    try {
      // Another process may have probed between our read and our lock.
      const current = await this.snapshot();
      if (current.state === 'closed' || (current.probeAt?.getTime() ?? 0) > Date.now()) return current.state;
      await this.compareAndSet(
        current.state,
        'half_open',
        current.probeAt?.getTime() ?? 0,
        current.consecutiveFailures,
      );
      const healthy = await runWithTimeLimit(
        () => this.hooks.probe(this.agencyCode),
        timeoutMs,
        () => IntegrationError.temporary(`health probe timed out after ${timeoutMs} ms`),
      ).catch(() => false);
      if (!healthy) {
        await this.compareAndSet(
          'half_open',
          'open',
          Date.now() + this.settings.openMs,
          current.consecutiveFailures,
        );
        return 'open';
      }
      if (!(await this.compareAndSet('half_open', 'closed', 0, 0))) return (await this.snapshot()).state;
      const pausedByOperator = await this.isPausedByOperator();
      if (!pausedByOperator) await this.queue.resume();
      await this.hooks.onClosed?.(this.agencyCode, {
        openedAt: current.openedAt ?? new Date(0),
        closedAt: new Date(),
        stillPausedByOperator: pausedByOperator,
      });
      return 'closed';
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, this.lockKey, token);
    }
  }

  /** Records that a person paused (true) or resumed (false) the agency. */
  async setPausedByOperator(paused: boolean): Promise<void> {
    if (paused) await this.redis.set(this.operatorKey, new Date().toISOString());
    else await this.redis.del(this.operatorKey);
  }

  async isPausedByOperator(): Promise<boolean> {
    return (await this.redis.exists(this.operatorKey)) === 1;
  }

  /** An operator's decision overrides the breaker: the circuit closes and counting restarts. */
  async forceClose(): Promise<void> {
    await this.redis
      .multi()
      .hset(this.circuitKey, 'state', 'closed', 'failures', 0, 'probeAt', 0)
      .zrem(this.openSetKey, this.agencyCode)
      .exec();
  }

  /** The circuit as stored in Redis. */
  async snapshot(): Promise<CircuitSnapshot> {
    const [hash, operator] = await Promise.all([
      this.redis.hgetall(this.circuitKey),
      this.isPausedByOperator(),
    ]);
    return circuitSnapshotOf(hash, operator);
  }

  /** Deletes the agency's circuit keys (when the agency is removed for good). */
  async forget(): Promise<void> {
    await this.redis
      .multi()
      .del(this.circuitKey, this.lockKey, this.operatorKey)
      .zrem(this.openSetKey, this.agencyCode)
      .exec();
  }

  private async compareAndSet(
    from: CircuitStateName,
    to: CircuitStateName,
    probeAt: number,
    failures: number,
  ) {
    const changed = await this.redis.eval(
      COMPARE_AND_SET,
      2,
      this.circuitKey,
      this.openSetKey,
      from,
      to,
      probeAt,
      failures,
      this.agencyCode,
    );
    return changed === 1;
  }
}

/** Throws an error naming the field when circuit settings cannot work. */
export function assertCircuitSettings(settings: CircuitSettings): void {
  const problems: string[] = [];
  if (!Number.isInteger(settings.failureThreshold) || settings.failureThreshold < 1) {
    problems.push(`failureThreshold must be an integer >= 1 (got ${settings.failureThreshold})`);
  }
  if (!Number.isFinite(settings.openMs) || settings.openMs < 0) {
    problems.push(`openMs must be a number >= 0 (got ${settings.openMs})`);
  }
  const probe = settings.probeTimeoutMs;
  if (probe !== undefined && (!Number.isFinite(probe) || probe <= 0)) {
    problems.push(`probeTimeoutMs must be a number > 0 (got ${probe})`);
  }
  if (problems.length > 0) throw new Error(`invalid circuit settings: ${problems.join('; ')}`);
}
