import { CompletionTracker, runClosedLoop } from './closed-loop';
import { CpuMeter } from './cpu-meter';
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
  /** The pipeline's process, whose CPU per event is measured at each level. */
  pid?: number;
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
    const cpu = driver.pid ? new CpuMeter(driver.pid) : undefined;
    cpu?.start();
    const loop = await runClosedLoop({
      inFlight: level.inFlight,
      count: level.events,
      maxMs: maxMsPerLevel,
      ...driver,
    });
    const used = cpu?.stop(loop.events);
    const summary: LatencySummary = used
      ? { ...loop, cpuMsPerEvent: used.processMs, postgresCpuMsPerEvent: used.postgresMs }
      : loop;
    log(
      `  ${level.inFlight} in flight: ${summary.events} of ${level.events} events${summary.events < level.events ? ' (time bound reached)' : ''}, ${summary.eventsPerSecond.toFixed(1)} ev/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms${used ? `, CPU ${used.processMs} ms + PostgreSQL ${used.postgresMs} ms per event` : ''}`,
    );
    results.push(summary);
  }
  return results;
}
