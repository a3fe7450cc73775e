import { Redis } from 'ioredis';

/** An agency's rate limit: at most `max` calls per `durationMs`. */
export interface CallRate {
  max: number;
  durationMs: number;
}

/**
 * Calls an agency may take from its rate limit outside the delivery queue (status look-ups):
 * whatever takes from the budget shares the agency's limit with the deliveries.
 */
export interface AgencyCallBudget {
  /** Takes up to `wanted` calls from the current window; resolves to how many may be made now. */
  take(agencyCode: string, wanted: number, rate: CallRate): Promise<number>;
  /** Gives back calls taken but not made (they count against the window until then). */
  giveBack(agencyCode: string, count: number): Promise<void>;
}

/**
 * Takes as many as are left, up to `wanted`; the first taker of a window starts its expiry.
 * The same arithmetic as BullMQ's worker limiter (INCR, PEXPIRE on the first), on the same key,
 * so deliveries and look-ups draw on one window.
 */
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local free = tonumber(ARGV[1]) - used
if free <= 0 then return 0 end
local n = math.min(free, tonumber(ARGV[2]))
if redis.call('INCRBY', KEYS[1], n) == n then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return n`;
const GIVE_BACK = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used <= 0 then return 0 end
return redis.call('DECRBY', KEYS[1], math.min(used, tonumber(ARGV[1])))`;

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
  ) {}

  async take(agencyCode: string, wanted: number, rate: CallRate): Promise<number> {
    if (wanted <= 0) return 0;
    const taken = await this.redis.eval(
      TAKE,
      1,
      this.keyOf(agencyCode),
      rate.max,
      Math.floor(wanted),
      Math.max(1, Math.floor(rate.durationMs)),
    );
    return Number(taken);
  }

  async giveBack(agencyCode: string, count: number): Promise<void> {
    if (count <= 0) return;
    await this.redis.eval(GIVE_BACK, 1, this.keyOf(agencyCode), Math.floor(count));
  }
}
