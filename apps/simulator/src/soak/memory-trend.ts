/** One RSS sample of the bridge process. */
export interface RssSample {
  /** Milliseconds since the run started. */
  atMs: number;
  rssMb: number;
}

/** The verdict on the bridge's memory over a soak run. */
export interface MemoryVerdict {
  /** False when memory grew steadily: the run fails. */
  ok: boolean;
  /** Slope of the least-squares line through the last 2/3 of the samples, MB per minute. */
  slopeMbPerMinute: number;
  /** RSS at the end of the warm-up (the first third of the run). */
  warmRssMb: number;
  finalRssMb: number;
  /** Why it failed, or what was measured. */
  reason: string;
}

/** Least-squares slope of y over x; 0 with fewer than two distinct x. */
export function linearSlope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Judges a run's RSS samples: memory "grows steadily" when both the linear fit over the last
 * 2/3 of the run rises faster than `maxSlopeMbPerMinute` and the final RSS is more than
 * `maxGrowthFactor` times the RSS after the warm-up. Either alone is normal (caches filling,
 * a slow drift the collector will take back); both together is a leak.
 */
export function judgeMemory(
  samples: RssSample[],
  runMs: number,
  limits: { maxSlopeMbPerMinute: number; maxGrowthFactor: number },
): MemoryVerdict {
  if (samples.length < 3)
    throw new Error(`need at least 3 RSS samples to judge memory, got ${samples.length}`);
  const warmEnd = runMs / 3;
  const tail = samples.filter((s) => s.atMs >= warmEnd);
  const warm = [...samples].reverse().find((s) => s.atMs <= warmEnd) ?? samples[0];
  const final = samples[samples.length - 1];
  const slopeMbPerMinute = linearSlope(tail.map((s) => ({ x: s.atMs / 60_000, y: s.rssMb })));
  const factor = final.rssMb / warm.rssMb;
  const steady = slopeMbPerMinute > limits.maxSlopeMbPerMinute && factor > limits.maxGrowthFactor;
  const measured = `RSS ${warm.rssMb.toFixed(1)} MB after warm-up → ${final.rssMb.toFixed(1)} MB at the end (×${factor.toFixed(2)}), slope ${slopeMbPerMinute.toFixed(2)} MB/min over the last 2/3`;
  return {
    ok: !steady,
    slopeMbPerMinute,
    warmRssMb: warm.rssMb,
    finalRssMb: final.rssMb,
    reason: steady
      ? `memory grows steadily: ${measured} (limits ${limits.maxSlopeMbPerMinute} MB/min and ×${limits.maxGrowthFactor})`
      : measured,
  };
}
