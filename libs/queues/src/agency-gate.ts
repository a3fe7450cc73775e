import type { Redis } from 'ioredis';
import type { AgencyQueueSettings } from './agency-queue.types';
import { LuaScript } from './lua-script';

/**
 * Per-agency limits on the shared delivery queue, enforced in Redis so they hold across every
 * worker process. BullMQ's own limits (worker concurrency, global concurrency, the limiter) are
 * per queue; with one queue for all agencies they would limit every agency together, so each
 * job asks this gate before it calls its agency. Hand-written because BullMQ Pro's groups, which
 * do this, are not open source.
 *
 * Keys of one agency (under its key base): `inflight` (job id → lease end, the calls running
 * now in any process; a lease outlives the call's time limit, so a dead worker's slot comes
 * back), `rate` (starts in the current window), `parked` (jobs refused and waiting for a turn),
 * `retrying` (job id → due time), `pending` (job id → enqueued; unfinished jobs), `failed`
 * (dead-lettered, kept for their age) and `completed` (a count).
 */

/** Why a job may not start now. */
export type GateRefusal = 'paused' | 'circuit' | 'concurrency' | 'rate';

// KEYS: inflight rate circuit operator-paused parked retrying
// ARGV: now jobId concurrency leaseMs rateMax rateMs
// Returns {0} (go) or {1..4, ms}: paused, circuit open, at the concurrency limit, over the rate.
const ACQUIRE = new LuaScript(`
local now = tonumber(ARGV[1])
local function park(code, ms)
  redis.call('ZADD', KEYS[5], now, ARGV[2])
  return {code, ms}
end
if redis.call('EXISTS', KEYS[4]) == 1 then return park(1, 0) end
local state = redis.call('HGET', KEYS[3], 'state')
if state and state ~= 'closed' then return park(2, 0) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return park(3, 0) end
  local max = tonumber(ARGV[5])
  if max > 0 then
    local started = tonumber(redis.call('GET', KEYS[2]) or '0')
    if started >= max then
      local ttl = redis.call('PTTL', KEYS[2])
      local queued = redis.call('ZCARD', KEYS[5])
      -- Jobs already waiting for the rate go first: come back when this one's turn is due.
      return park(4, math.max(ttl, 1) + math.floor(queued / max) * tonumber(ARGV[6]))
    end
    if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
  end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[2])
redis.call('ZREM', KEYS[5], ARGV[2])
redis.call('ZREM', KEYS[6], ARGV[2])
return {0, 0}`);

// KEYS: inflight parked retrying pending failed completed circuit
// ARGV: jobId outcome now retryAt failedKeepMs concurrency
// Frees the job's slot, books its outcome (a success also starts the circuit's count of
// consecutive failures over), and hands back the parked jobs to wake: one to take
// the freed slot, or up to `concurrency` when nothing runs any more (a lost wake-up heals).
const RELEASE = new LuaScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
local outcome = ARGV[2]
local now = tonumber(ARGV[3])
if outcome == 'done' then
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('INCR', KEYS[6])
  redis.call('HSET', KEYS[7], 'failures', 0)
elseif outcome == 'retry' then
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
elseif outcome == 'dead' then
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('ZADD', KEYS[5], now, ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - tonumber(ARGV[5]))
end
local n = 1
if redis.call('ZCARD', KEYS[1]) == 0 then n = tonumber(ARGV[6]) end
local popped = redis.call('ZPOPMIN', KEYS[2], n)
local ids = {}
for i = 1, #popped, 2 do ids[#ids + 1] = popped[i] end
return ids`);

// KEYS: pending parked failed job-key...; ARGV: now admit check id... (the job keys' ids, in order)
// Books new jobs as pending; those beyond the first ARGV[2] unfinished ones are parked at once,
// so a deep backlog of one agency never floods the shared line. With ARGV[3] = '1', a job whose
// key exists already (kept in the queue in any state) makes the script book nothing and name the
// kept ones, so the caller can decide on them and book the rest in order. Returns {parked, kept}.
const BOOK = new LuaScript(`
local now = ARGV[1]
local admit = tonumber(ARGV[2])
local kept = {}
if ARGV[3] == '1' then
  for i = 4, #ARGV do
    if redis.call('EXISTS', KEYS[i]) == 1 then kept[#kept + 1] = ARGV[i] end
  end
  if #kept > 0 then return {{}, kept} end
end
local before = redis.call('ZCARD', KEYS[1])
local parked = {}
for i = 4, #ARGV do
  redis.call('ZADD', KEYS[1], now, ARGV[i])
  redis.call('ZREM', KEYS[3], ARGV[i])
  if before + i - 4 >= admit then
    redis.call('ZADD', KEYS[2], now, ARGV[i])
    parked[#parked + 1] = ARGV[i]
  end
end
return {parked, kept}`);

// KEYS: inflight parked retrying pending failed completed circuit operator-paused
const COUNTS = new LuaScript(`
local now = tonumber(ARGV[1])
local state = redis.call('HGET', KEYS[7], 'state') or 'closed'
local held = 0
if state ~= 'closed' or redis.call('EXISTS', KEYS[8]) == 1 then held = 1 end
return {redis.call('ZCOUNT', KEYS[1], now, '+inf'), redis.call('ZCARD', KEYS[2]),
  redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4]), redis.call('ZCARD', KEYS[5]),
  tonumber(redis.call('GET', KEYS[6]) or '0'), held}`);

/** Jobs of one agency by state, as the gate books them. */
export interface GateCounts {
  active: number;
  parked: number;
  retrying: number;
  pending: number;
  failed: number;
  completed: number;
  /** Paused by an operator or by an open circuit. */
  held: boolean;
}

/** Reads the reply of the COUNTS script. */
export function gateCountsOf(reply: number[]): GateCounts {
  const [active, parked, retrying, pending, failed, completed, held] = reply;
  return { active, parked, retrying, pending, failed, completed, held: held === 1 };
}

/** How a job's run ended, for {@link AgencyGate.release}. */
export type RunOutcome = 'done' | 'retry' | 'dead' | 'none';

/** The Redis side of one agency's limits; see the file comment. */
export class AgencyGate {
  private readonly keys: Record<
    'inflight' | 'rate' | 'parked' | 'retrying' | 'pending' | 'failed' | 'completed',
    string
  >;

  constructor(
    private readonly redis: Redis,
    keyBase: string,
    private readonly circuitKey: string,
    private readonly operatorKey: string,
  ) {
    const k = (name: string) => `${keyBase}:${name}`;
    this.keys = {
      inflight: k('inflight'),
      rate: k('rate'),
      parked: k('parked'),
      retrying: k('retrying'),
      pending: k('pending'),
      failed: k('failed'),
      completed: k('completed'),
    };
  }

  /** Takes a slot for the job, or says why not and (for the rate) in how many ms to come back. */
  async acquire(
    jobId: string,
    settings: AgencyQueueSettings,
  ): Promise<{ ok: true } | { ok: false; why: GateRefusal; retryInMs: number }> {
    const k = this.keys;
    // A lease outlives the call's own time limit, so only a dead worker's slot ever expires.
    const leaseMs = (settings.timeoutMs ?? 300_000) + 30_000;
    const rate = settings.rateLimit;
    const [code, ms] = (await ACQUIRE.run(
      this.redis,
      6,
      k.inflight,
      k.rate,
      this.circuitKey,
      this.operatorKey,
      k.parked,
      k.retrying,
      Date.now(),
      jobId,
      settings.concurrency,
      leaseMs,
      rate?.max ?? 0,
      rate?.durationMs ?? 0,
    )) as [number, number];
    if (code === 0) return { ok: true };
    const why = (['paused', 'circuit', 'concurrency', 'rate'] as const)[code - 1];
    return { ok: false, why, retryInMs: ms };
  }

  /**
   * Frees the job's slot and books its outcome — a success also resets the circuit's count of
   * consecutive failures, in the same script; returns the parked job ids to wake.
   */
  async release(
    jobId: string,
    outcome: RunOutcome,
    concurrency: number,
    retryAt = 0,
    failedKeepMs = 0,
  ): Promise<string[]> {
    return (await RELEASE.run(
      this.redis,
      7,
      ...this.bookKeys(),
      this.circuitKey,
      jobId,
      outcome,
      Date.now(),
      retryAt,
      failedKeepMs,
      concurrency,
    )) as string[];
  }

  /**
   * Books newly enqueued jobs as pending. Beyond `admit` unfinished jobs of the agency, new ones
   * are parked from the start; returns their ids (to be added as delayed).
   */
  /**
   * Books new jobs (see BOOK): `jobs` are their ids with their queue keys; `parked` are the
   * booked ones beyond `admit`. With `checkKept`, when any job's key exists already nothing is
   * booked and those jobs come back as `kept`.
   */
  async book(
    jobs: readonly { id: string; key: string }[],
    admit: number,
    checkKept: boolean,
  ): Promise<{ parked: string[]; kept: string[] }> {
    const k = this.keys;
    const [parked, kept] = (await BOOK.run(
      this.redis,
      3 + jobs.length,
      k.pending,
      k.parked,
      k.failed,
      ...jobs.map((j) => j.key),
      Date.now(),
      admit,
      checkKept ? '1' : '0',
      ...jobs.map((j) => j.id),
    )) as [string[], string[]];
    return { parked, kept };
  }

  async counts(): Promise<GateCounts> {
    const [, numKeys, ...args] = this.countsCommand();
    return gateCountsOf((await COUNTS.run(this.redis, numKeys, ...args)) as number[]);
  }

  /**
   * The COUNTS script call as arguments of `eval`, so a caller may queue many agencies' counts on
   * one pipeline (the ops overview reads a page of agencies in one round trip); read the reply
   * with {@link gateCountsOf}.
   */
  countsCommand(): [string, number, ...(string | number)[]] {
    return [COUNTS.source, 8, ...this.bookKeys(), this.circuitKey, this.operatorKey, Date.now()];
  }

  /** Up to `limit` parked job ids, oldest first, removed from the park (the caller wakes them). */
  async takeParked(limit: number): Promise<string[]> {
    const popped = await this.redis.zpopmin(this.keys.parked, limit);
    return popped.filter((_, i) => i % 2 === 0);
  }

  /** Every job id the gate knows as unfinished or dead-lettered (to discard an agency). */
  async knownJobIds(): Promise<string[]> {
    const [pending, failed] = await Promise.all([
      this.redis.zrange(this.keys.pending, 0, -1),
      this.redis.zrange(this.keys.failed, 0, -1),
    ]);
    return [...pending, ...failed];
  }

  /** The keys RELEASE and COUNTS read, in their order. */
  private bookKeys(): string[] {
    const k = this.keys;
    return [k.inflight, k.parked, k.retrying, k.pending, k.failed, k.completed];
  }

  async forget(): Promise<void> {
    await this.redis.del(...Object.values(this.keys));
  }
}
