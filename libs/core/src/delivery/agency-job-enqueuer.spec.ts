import { AgencyQueueManager } from '@bridge/queues';
import { RelayedJob } from '../outbox/outbox-relay';
import { AgencyJobEnqueuer } from './agency-job-enqueuer';
import { AgencyRuntime } from './agency-runtime';
import { DeadLetterService } from './dead-letter.service';

const job = (agencyCode: string, jobId: string): RelayedJob => ({
  agencyCode,
  name: 'SubmitDossier',
  jobId,
  payload: {},
  dossierId: null,
});

describe('AgencyJobEnqueuer', () => {
  function rig(active: string[], appearOnRefresh: string[] = []) {
    const loaded = new Set(active);
    const enqueued: string[] = [];
    let refreshes = 0;
    const runtime = {
      specOf: (code: string) => (loaded.has(code) ? {} : undefined),
      refresh: async () => {
        refreshes++;
        for (const code of appearOnRefresh) loaded.add(code);
      },
    } as unknown as AgencyRuntime;
    const queues = {
      enqueueBatch: async (jobs: Array<{ jobId: string }>) => void enqueued.push(...jobs.map((j) => j.jobId)),
    } as unknown as AgencyQueueManager;
    const enqueuer = new AgencyJobEnqueuer(runtime, queues, {} as DeadLetterService);
    return { enqueuer, enqueued, refreshes: () => refreshes };
  }

  it('enqueues in outbox order and never reloads the agencies when every one is known', async () => {
    const { enqueuer, enqueued, refreshes } = rig(['A', 'B']);
    expect(await enqueuer.enqueueJobs([job('B', '1'), job('A', '2'), job('B', '3')])).toEqual([]);
    expect(enqueued).toEqual(['1', '2', '3']);
    expect(refreshes()).toBe(0);
  });

  it('reloads once for an agency it does not know, then refuses the jobs of agencies still without an adapter, naming them', async () => {
    const { enqueuer, enqueued, refreshes } = rig(['A'], ['NEW']);
    const failed = await enqueuer.enqueueJobs([job('NEW', '1'), job('GONE', '2'), job('A', '3')]);
    expect(refreshes()).toBe(1);
    expect(enqueued).toEqual(['1', '3']);
    expect(failed).toEqual([
      { job: job('GONE', '2'), reason: 'agency GONE has no active adapter; the job cannot be delivered' },
    ]);
  });
});
