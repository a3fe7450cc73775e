import { Redis } from 'ioredis';
import { AdapterStore } from '@bridge/adapter-sdk';

/** The AdapterStore every bridge process shares: tokens, CSV folder locks, processed-file hashes. */
export class RedisAdapterStore implements AdapterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }

  async set(
    key: string,
    value: string,
    options: { ttlMs?: number; onlyIfAbsent?: boolean } = {},
  ): Promise<boolean> {
    const k = this.prefix + key;
    let result: string | null;
    if (options.ttlMs && options.onlyIfAbsent)
      result = await this.redis.set(k, value, 'PX', options.ttlMs, 'NX');
    else if (options.ttlMs) result = await this.redis.set(k, value, 'PX', options.ttlMs);
    else if (options.onlyIfAbsent) result = await this.redis.set(k, value, 'NX');
    else result = await this.redis.set(k, value);
    return result === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
