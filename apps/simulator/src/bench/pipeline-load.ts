import { CompletionTracker, runClosedLoop } from './closed-loop';
import { LatencySummary } from './latency-stats';

/** One load level: events kept in flight and how many to measure. */
export interface LoadLevel {
  inFlight: number;
  events: number;
}

/** What a pipeline needs to be driven: how to make and send one event. */
export interface PipelineDriver {
  /** A fresh event: the key its output will carry, and a function that publishes it. */
  next(): { key: string; send: () => Promise<void> };
  tracker: CompletionTracker;
}

/** Warm-up, then every level in turn; returns one summary per level. */
export async function measureLevels(
  driver: PipelineDriver,
  levels: readonly LoadLevel[],
  warmupEvents: number,
  log: (line: string) => void,
  maxMsPerLevel = 45_000,
): Promise<LatencySummary[]> {
  if (warmupEvents > 0) {
    await runClosedLoop({ inFlight: 20, count: warmupEvents, maxMs: maxMsPerLevel / 3, ...driver });
    log(`  warm-up: ${warmupEvents} events done`);
  }
  const results: LatencySummary[] = [];
  for (const level of levels) {
    const summary = await runClosedLoop({
      inFlight: level.inFlight,
      count: level.events,
      maxMs: maxMsPerLevel,
      ...driver,
    });
    log(
      `  ${level.inFlight} in flight: ${summary.events} of ${level.events} events${summary.events < level.events ? ' (time bound reached)' : ''}, ${summary.eventsPerSecond.toFixed(1)} ev/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms`,
    );
    results.push(summary);
  }
  return results;
}
