/** p50 and p95 of a set of durations in milliseconds; null when there are none. */
export interface LatencyPercentiles {
  p50: number | null;
  p95: number | null;
}

/**
 * Nearest-rank percentile (the smallest value with at least `p` % of the samples at or below
 * it), so the answer is always a duration that was really measured.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50 and p95 of unsorted durations. */
export function latencyPercentiles(durationsMs: readonly number[]): LatencyPercentiles {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}
