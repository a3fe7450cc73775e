import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { BridgeConfig } from '@bridge/config';
import { DELIVERY_STATS_WINDOW_MS, DeliveryStats } from './delivery-stats';

describe('DeliveryStats in Redis', () => {
  const namespace = `stats-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const stats = new DeliveryStats(redis, { namespace } as BridgeConfig);
  const reader = new DeliveryStats(redis, { namespace } as BridgeConfig);
  const agency = '000.00.53.H48';

  afterAll(async () => {
    const keys = await redis.keys(`bridge:${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('has nothing to say about an agency without deliveries', async () => {
    expect(await reader.of('000.00.99.H48')).toEqual({
      lastSuccessAt: null,
      latencyMs: { p50: null, p95: null },
      samples: 0,
    });
  });

  it('shares the last hour of successful deliveries between processes, under the namespace', async () => {
    const now = new Date();
    await stats.record(agency, 9_999, new Date(now.getTime() - DELIVERY_STATS_WINDOW_MS - 1_000));
    for (const ms of [200, 100, 400, 300]) await stats.record(agency, ms, now);
    const seen = await reader.of(agency, now);
    expect(seen).toEqual({ lastSuccessAt: now.toISOString(), latencyMs: { p50: 200, p95: 400 }, samples: 4 });
    expect(await redis.zcard(`bridge:${namespace}:stats:${agency}`)).toBe(4);
    expect(await redis.pttl(`bridge:${namespace}:stats:${agency}`)).toBeGreaterThan(0);
  });

  it('forgets an agency', async () => {
    await stats.forget(agency);
    expect((await reader.of(agency)).samples).toBe(0);
    expect((await reader.of(agency)).lastSuccessAt).toBeNull();
  });
});
