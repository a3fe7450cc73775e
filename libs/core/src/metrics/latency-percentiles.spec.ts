import { latencyPercentiles, percentile } from './latency-percentiles';

describe('latency percentiles', () => {
  it('gives null for no samples', () => {
    expect(latencyPercentiles([])).toEqual({ p50: null, p95: null });
  });

  it('takes the nearest rank, so a single slow call shows in p95 of twenty', () => {
    const durations = [...Array.from({ length: 19 }, (_, i) => 100 + i), 5_000];
    expect(latencyPercentiles(durations)).toEqual({ p50: 109, p95: 118 });
    expect(latencyPercentiles([...durations, 6_000])).toEqual({ p50: 110, p95: 5_000 });
  });

  it('does not depend on the order of the samples', () => {
    expect(latencyPercentiles([300, 100, 200])).toEqual({ p50: 200, p95: 300 });
    expect(latencyPercentiles([42])).toEqual({ p50: 42, p95: 42 });
  });

  it('refuses a percentile outside (0, 100]', () => {
    expect(() => percentile([1, 2], 0)).toThrow('percentile must be in (0, 100], got 0');
    expect(() => percentile([1, 2], 101)).toThrow(RangeError);
  });
});
