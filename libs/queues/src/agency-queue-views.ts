import type { Redis } from 'ioredis';
import { GateCounts, gateCountsOf } from './agency-gate';
import type { AgencyQueueCounts, AgencyQueueState } from './agency-queue-manager';
import { CircuitSnapshot, circuitSnapshotOf } from './circuit-breaker';
import type { AgencyEntry } from './delivery-worker';

/** What operators see of the gate's books: while held, ready jobs count as `paused`. */
export function queueCountsOf(c: GateCounts): AgencyQueueCounts {
  const ready = Math.max(0, c.pending - c.active - c.retrying);
  return {
    waiting: c.held ? 0 : ready,
    paused: c.held ? ready : 0,
    active: c.active,
    delayed: c.retrying,
    failed: c.failed,
    completed: c.completed,
  };
}

/** The circuit snapshot with whether the agency's jobs are held. */
export function queueStateOf(snapshot: CircuitSnapshot): AgencyQueueState {
  return { ...snapshot, queuePaused: snapshot.pausedByOperator || snapshot.state !== 'closed' };
}

/**
 * Counts and circuit state of the given agencies with one pipeline: three commands each, one
 * round trip in all, so the overview of a page of agencies does not wait on one call after another.
 */
export async function readCountsAndStates(
  redis: Redis,
  entries: readonly AgencyEntry[],
): Promise<Map<string, { counts: AgencyQueueCounts; state: AgencyQueueState }>> {
  const answer = new Map<string, { counts: AgencyQueueCounts; state: AgencyQueueState }>();
  if (entries.length === 0) return answer;
  const pipeline = redis.pipeline();
  for (const { gate, breaker } of entries) {
    pipeline.eval(...gate.countsCommand());
    pipeline.hgetall(breaker.stateKeys.circuit);
    pipeline.exists(breaker.stateKeys.operatorPaused);
  }
  const replies = (await pipeline.exec()) ?? [];
  entries.forEach(({ code }, i) => {
    const [counts, hash, operator] = replies.slice(i * 3, i * 3 + 3).map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    answer.set(code, {
      counts: queueCountsOf(gateCountsOf(counts as number[])),
      state: queueStateOf(circuitSnapshotOf(hash as Record<string, string>, operator === 1)),
    });
  });
  return answer;
}
