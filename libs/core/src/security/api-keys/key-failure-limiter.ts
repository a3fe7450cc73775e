import type { Redis } from 'ioredis';

/** Options of {@link KeyFailureLimiter}. */
export interface KeyFailureLimiterOptions {
  /** Shared counters across gateways; without it (CLI, tests) each process counts alone. */
  redis?: Redis;
  /** Redis key prefix of the installation (`bridge:` or `bridge:<namespace>:`). */
  prefix?: string;
  /** Wrong keys one client may send per window before it is refused (default 10). */
  limit?: number;
  /** Length of the counting window (default 60 s). */
  windowMs?: number;
  /** How long to wait for Redis before counting in this process instead (default 250 ms). */
  redisTimeoutMs?: number;
  now?: () => number;
}

/** Reads BRIDGE_AUTH_FAILURE_LIMIT (wrong keys per client per minute, default 10). */
export function keyFailureLimitFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BRIDGE_AUTH_FAILURE_LIMIT?.trim();
  if (raw === undefined || raw === '') return 10;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(
      `BRIDGE_AUTH_FAILURE_LIMIT must be a positive integer (wrong keys per client per minute), got "${raw}"`,
    );
  return limit;
}

const MAX_LOCAL_CLIENTS = 10_000;

/**
 * Counts wrong API keys per client (IP address) in fixed windows, so that guessing is refused
 * before the slow hash is paid. Counters live in Redis (every gateway sees the same count);
 * when Redis is slow or away, the count falls back to this process so that authentication
 * never waits on Redis (its client queues commands while Redis restarts).
 */
export class KeyFailureLimiter {
  private readonly local = new Map<string, { count: number; resetAt: number }>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: KeyFailureLimiterOptions = {}) {
    this.limit = options.limit ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.timeoutMs = options.redisTimeoutMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until `client` may try again; 0 when it may try now. */
  async retryAfterMs(client: string): Promise<number> {
    const shared = await this.shared(async (redis, key) => {
      const [[, count], [, ttl]] = (await redis.multi().get(key).pttl(key).exec()) as [
        [unknown, string | null],
        [unknown, number],
      ];
      return Number(count ?? 0) >= this.limit ? Math.max(ttl, 1) : 0;
    }, client);
    if (shared !== undefined) return shared;
    const entry = this.localEntry(client);
    return entry && entry.count >= this.limit ? entry.resetAt - this.now() : 0;
  }

  /** Counts one wrong key of `client`. */
  async recordFailure(client: string): Promise<void> {
    const done = await this.shared(async (redis, key) => {
      await redis.multi().set(key, 0, 'PX', this.windowMs, 'NX').incr(key).exec();
      return 0;
    }, client);
    if (done !== undefined) return;
    const entry = this.localEntry(client) ?? { count: 0, resetAt: this.now() + this.windowMs };
    entry.count += 1;
    if (!this.local.has(client) && this.local.size >= MAX_LOCAL_CLIENTS) {
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    this.local.set(client, entry);
  }

  private localEntry(client: string) {
    const entry = this.local.get(client);
    if (entry && entry.resetAt <= this.now()) {
      this.local.delete(client);
      return undefined;
    }
    return entry;
  }

  /** Runs `work` against Redis within the timeout; undefined when it could not. */
  private async shared(
    work: (redis: Redis, key: string) => Promise<number>,
    client: string,
  ): Promise<number | undefined> {
    const redis = this.options.redis;
    if (!redis || redis.status !== 'ready') return undefined;
    const key = `${this.options.prefix ?? 'bridge:'}auth-failures:${client}`;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.timeoutMs);
    });
    try {
      return await Promise.race([work(redis, key).catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
