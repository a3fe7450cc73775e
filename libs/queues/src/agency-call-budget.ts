import { Redis } from 'ioredis';

/** An agency's rate limit: at most `max` calls per `durationMs`. */
export interface CallRate {
  max: number;
  durationMs: number;
}

/** Calls granted: `count` of them, the first in `firstInMs`, each next one `spacingMs` later. */
export interface CallSlots {
  count: number;
  firstInMs: number;
  spacingMs: number;
}

/**
 * Calls an agency may take from its rate limit outside the delivery queue (status look-ups):
 * whatever takes from the budget shares the agency's limit with the deliveries.
 */
export interface AgencyCallBudget {
  /** Takes up to `wanted` calls, each at its own time slot; resolves to the slots granted. */
  take(agencyCode: string, wanted: number, rate: CallRate): Promise<CallSlots>;
}

/**
 * Two limits in one step, on Redis's clock so workers agree:
 * - BullMQ's worker limiter window (KEYS[1]: INCR, PEXPIRE on the first, the same arithmetic
 *   on the same key), so deliveries and look-ups draw on one window;
 * - evenly spaced slots (KEYS[2]: the next free slot, in microseconds), so look-ups never come
 *   as a burst at a window's start: at most `max` in any `durationMs`, however the windows fall.
 * Slots are handed out at most `horizon` ahead; beyond, nothing is granted now.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local max, wanted, duration = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local spacing, horizon = tonumber(ARGV[4]), tonumber(ARGV[5])
local free = max - tonumber(redis.call('GET', KEYS[1]) or '0')
local nextFree = tonumber(redis.call('GET', KEYS[2]) or '0')
local start = math.max(now, nextFree)
local room = math.floor((now + horizon - start) / spacing)
local n = math.min(free, wanted, room)
if n <= 0 then return {0, 0} end
if redis.call('INCRBY', KEYS[1], n) == n then redis.call('PEXPIRE', KEYS[1], duration) end
redis.call('SET', KEYS[2], tostring(start + n * spacing), 'PX', math.ceil((horizon + n * spacing) / 1000) + duration)
return {n, start - now}`;
/** The key of BullMQ's rate-limit window for a queue (`<prefix>:<queue>:limiter`). */
export function bullLimiterKey(queueName: string, bullPrefix = 'bull'): string {
  return `${bullPrefix}:${queueName}:limiter`;
}

/** {@link AgencyCallBudget} on the Redis window the agency's delivery worker uses. */
export class RedisAgencyCallBudget implements AgencyCallBudget {
  constructor(
    private readonly redis: Redis,
    /** The Redis key of an agency's rate window (e.g. its queue's limiter key). */
    private readonly keyOf: (agencyCode: string) => string,
    /** How far ahead slots are handed out (default 1 s). */
    private readonly horizonMs = 1_000,
  ) {}

  async take(agencyCode: string, wanted: number, rate: CallRate): Promise<CallSlots> {
    const spacingUs = Math.ceil((rate.durationMs * 1000) / rate.max);
    const none = { count: 0, firstInMs: 0, spacingMs: spacingUs / 1000 };
    if (wanted <= 0) return none;
    const key = this.keyOf(agencyCode);
    const [count, firstInUs] = (await this.redis.eval(
      TAKE,
      2,
      key,
      `${key}:paced`,
      rate.max,
      Math.floor(wanted),
      Math.max(1, Math.floor(rate.durationMs)),
      spacingUs,
      this.horizonMs * 1000,
    )) as [number, number];
    return count > 0 ? { count, firstInMs: firstInUs / 1000, spacingMs: spacingUs / 1000 } : none;
  }
}
