import type { EnqueueRequest } from './agency-queue-manager';
import type { AgencyEntry } from './delivery-worker';

/**
 * Books the jobs at `indices` to their agencies, one script per agency sent together (one
 * round trip for a batch spread over many). Booked before the add, so a job finishing at once
 * never leaves a stale pending entry. Jobs asked to wait (delayMs) are never parked: their
 * time is theirs. With `checkKept`, an agency with a job kept in the queue already books none
 * of its jobs: they come back as `unbooked` (indices), the kept ones as `kept`.
 */
export async function bookJobs(
  jobKey: (jobId: string) => string,
  jobs: readonly EnqueueRequest[],
  entries: readonly AgencyEntry[],
  indices: readonly number[],
  checkKept: boolean,
): Promise<{ parked: Set<string>; kept: Set<string>; unbooked: number[] }> {
  const groups = new Map<
    string,
    { entry: AgencyEntry; jobs: { id: string; key: string }[]; at: number[]; park: boolean }
  >();
  for (const i of indices) {
    const job = jobs[i];
    const key = `${job.delayMs ? 'later' : 'now'} ${entries[i].code}`;
    const group = groups.get(key) ?? { entry: entries[i], jobs: [], at: [], park: !job.delayMs };
    group.jobs.push({ id: job.jobId, key: jobKey(job.jobId) });
    group.at.push(i);
    groups.set(key, group);
  }
  const booked = [...groups.values()];
  const replies = await Promise.all(
    booked.map(({ entry, jobs: some, park }) =>
      entry.gate.book(some, park ? 2 * entry.settings.concurrency : Number.MAX_SAFE_INTEGER, checkKept),
    ),
  );
  return {
    parked: new Set(replies.flatMap((r) => r.parked)),
    kept: new Set(replies.flatMap((r) => r.kept)),
    unbooked: booked.flatMap((group, g) => (replies[g].kept.length > 0 ? group.at : [])),
  };
}
