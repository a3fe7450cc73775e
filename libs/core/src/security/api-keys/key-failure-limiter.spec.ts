import { KeyFailureLimiter, keyFailureLimitFromEnv } from './key-failure-limiter';

describe('KeyFailureLimiter without Redis', () => {
  it('refuses an address after the limit until its window ends, other addresses unaffected', async () => {
    let now = 1_000_000;
    const limiter = new KeyFailureLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    for (let n = 0; n < 3; n += 1) {
      expect(await limiter.retryAfterMs('10.0.0.1')).toBe(0);
      await limiter.recordFailure('10.0.0.1');
    }
    now += 15_000;
    expect(await limiter.retryAfterMs('10.0.0.1')).toBe(45_000);
    expect(await limiter.retryAfterMs('10.0.0.2')).toBe(0);
    now += 45_000;
    expect(await limiter.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('reads BRIDGE_AUTH_FAILURE_LIMIT and names it when wrong', () => {
    expect(keyFailureLimitFromEnv({})).toBe(10);
    expect(keyFailureLimitFromEnv({ BRIDGE_AUTH_FAILURE_LIMIT: '25' })).toBe(25);
    expect(() => keyFailureLimitFromEnv({ BRIDGE_AUTH_FAILURE_LIMIT: 'ten' })).toThrow(
      /BRIDGE_AUTH_FAILURE_LIMIT must be a positive integer/,
    );
  });
});
