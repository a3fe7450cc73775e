import { performance } from 'node:perf_hooks';
import { LatencySummary, summarize } from './latency-stats';

/**
 * Matches outputs to inputs: `expect(key)` before sending, `complete(key)` when the output for
 * that key is observed. Outputs nobody waits for (duplicates, warm-up stragglers) are ignored.
 */
export class CompletionTracker {
  private readonly waiting = new Map<string, { resolve: () => void; timer: NodeJS.Timeout }>();
  /** When set, the wall-clock time each key was sent and completed (ms since the epoch). */
  times?: Map<string, { sent: number; done?: number }>;

  expect(key: string, timeoutMs: number): Promise<void> {
    this.times?.set(key, { sent: Date.now() });
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new Error(`no output for ${key} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(key, { resolve, timer });
    });
  }

  complete(key: string): void {
    const entry = this.waiting.get(key);
    if (!entry) return;
    const times = this.times?.get(key);
    if (times) times.done = Date.now();
    this.waiting.delete(key);
    clearTimeout(entry.timer);
    entry.resolve();
  }

  /** Keys still waiting. */
  get pending(): number {
    return this.waiting.size;
  }
}

/** One closed-loop run against a pipeline. */
export interface ClosedLoopRun {
  /** Events kept outstanding at all times. */
  inFlight: number;
  /** Events to complete. */
  count: number;
  /** Makes a fresh event and returns its key (what the output is matched by) and a sender. */
  next(): { key: string; send: () => Promise<void> };
  tracker: CompletionTracker;
  /** Per-event timeout (default 60 s). */
  timeoutMs?: number;
  /** No new event is sent after this many ms; the level ends with what completed (bounds the run). */
  maxMs?: number;
}

/**
 * Keeps `inFlight` events outstanding until `count` completed: each lane sends an event, waits
 * for its output, and sends the next. Latency is publish start → output observed.
 */
export async function runClosedLoop(run: ClosedLoopRun): Promise<LatencySummary> {
  const latencies: number[] = [];
  let issued = 0;
  const deadline = performance.now() + (run.maxMs ?? Number.POSITIVE_INFINITY);
  const lane = async (): Promise<void> => {
    while (issued < run.count && performance.now() < deadline) {
      issued++;
      const { key, send } = run.next();
      const done = run.tracker.expect(key, run.timeoutMs ?? 60_000);
      const started = performance.now();
      await send();
      await done;
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(run.inFlight, run.count) }, lane));
  return summarize(latencies, performance.now() - started, run.inFlight);
}
