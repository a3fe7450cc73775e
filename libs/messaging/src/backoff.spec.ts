import { DEFAULT_BACKOFF, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };

  it('doubles from the initial delay and stops at the cap', () => {
    const delays = [0, 1, 2, 3, 10, 30].map((attempt) => backoffDelay(attempt, noJitter));
    expect(delays).toEqual([200, 400, 800, 1_600, 10_000, 10_000]);
  });

  it('keeps jittered delays under the cap and above the un-jittered share', () => {
    for (const random of [0, 0.5, 0.999]) {
      const delay = backoffDelay(20, DEFAULT_BACKOFF, () => random);
      expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxDelayMs);
      expect(delay).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.maxDelayMs * (1 - DEFAULT_BACKOFF.jitter));
    }
  });

  it('refuses a negative attempt number', () => {
    expect(() => backoffDelay(-1, DEFAULT_BACKOFF)).toThrow('non-negative integer');
  });
});
