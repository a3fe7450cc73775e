/** Throughput and latency of one measured level. */
export interface LatencySummary {
  /** Events measured (after the warm-up). */
  events: number;
  /** Events outstanding at any time (closed loop). */
  inFlight: number;
  /** Completed events per second over the measured window. */
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU ms per event of the pipeline's process and of PostgreSQL, when the driver names its pid. */
  cpuMsPerEvent?: number;
  postgresCpuMsPerEvent?: number;
}

/** The value at quantile `q` (0..1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Summarizes per-event latencies (ms) measured over `elapsedMs` of wall time. */
export function summarize(
  latenciesMs: readonly number[],
  elapsedMs: number,
  inFlight: number,
): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    events: sorted.length,
    inFlight,
    eventsPerSecond: elapsedMs > 0 ? (sorted.length * 1000) / elapsedMs : 0,
    p50Ms: round(quantile(sorted, 0.5)),
    p99Ms: round(quantile(sorted, 0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** Rounds to `digits` decimals (figures in the report stay readable). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
