import { Redis } from 'ioredis';
import { IntegrationError } from '@bridge/adapter-sdk';
import { AgencyJobName } from './agency-jobs';
import type { AgencyQueueManager, EnqueueRequest } from './agency-queue-manager';
import type { AgencyJob } from './agency-queue.types';
import {
  QueueTestHarness,
  sleep,
  TEST_REDIS_URL,
  testPayload,
  testSettings,
  waitFor,
} from './testing/queue-test-harness';

const AGENCIES = 2_000;
const DOWN = 'A0000';
const SLOW = 'A0001';
const SLOW_CALL_MS = 400;
const OTHER_CALL_MS = 10;
const code = (i: number) => `A${String(i).padStart(4, '0')}`;

jest.setTimeout(60_000);

/** Redis connections that BullMQ named after one of this test's queues (its workers' own). */
async function namedConnections(queuePrefix: string): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const list = (await redis.call('CLIENT', 'LIST')) as string;
    return list
      .split('\n')
      .map((line) => /\bname=bull:(\S+)/.exec(line)?.[1])
      .filter((b64) => b64 && Buffer.from(b64, 'base64').toString().startsWith(`${queuePrefix}.`)).length;
  } finally {
    await redis.quit();
  }
}

/** One submit job for each agency in `codes`, enqueued 500 at a time. */
async function enqueueOnePerAgency(manager: AgencyQueueManager, codes: string[], tag: string) {
  const jobs: EnqueueRequest[] = codes.map((c) => ({
    name: AgencyJobName.SubmitDossier,
    payload: testPayload(c, `${tag}-${c}`),
    jobId: `${tag}-${c}`,
  }));
  for (let i = 0; i < jobs.length; i += 500) await manager.enqueueBatch(jobs.slice(i, i + 500));
}

describe('isolation at national scale (real Redis)', () => {
  let harness: QueueTestHarness;
  beforeEach(() => {
    harness = new QueueTestHarness();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('with 2,000 agencies, one down and one slow, the others flow at full speed on one connection', async () => {
    const done = new Map<string, number>();
    let downCalls = 0;
    let slowInFlight = 0;
    let slowMaxInFlight = 0;
    const manager = harness.manager({
      handle: async (job: AgencyJob) => {
        const agency = job.payload.agencyCode;
        if (agency === DOWN) {
          downCalls++;
          throw IntegrationError.temporary('connection refused');
        }
        if (agency === SLOW) {
          slowMaxInFlight = Math.max(slowMaxInFlight, ++slowInFlight);
          await sleep(SLOW_CALL_MS);
          slowInFlight--;
        } else await sleep(OTHER_CALL_MS);
        done.set(job.id, Date.now());
      },
      probe: async () => false,
    });
    const codes = Array.from({ length: AGENCIES }, (_, i) => code(i));
    const others = codes.filter((c) => c !== DOWN && c !== SLOW);
    const settings = testSettings({
      concurrency: 2,
      timeoutMs: 2_000,
      retry: { maxAttempts: 50, baseDelayMs: 50, maxDelayMs: 200, jitter: 0 },
      circuit: { failureThreshold: 3, openMs: 60_000 },
    });
    for (const c of codes) await manager.ensureAgency(c, settings);
    const othersDone = (tag: string) => others.every((c) => done.has(`${tag}-${c}`));

    const soloStart = Date.now();
    await enqueueOnePerAgency(manager, others, 'solo');
    await waitFor(() => othersDone('solo'), 'the others alone', 30_000);
    const soloMs = Date.now() - soloStart;

    // The bad agencies' work goes in first, at the head of the shared line.
    const backlog = (c: string) => Array.from({ length: 30 }, (_, i) => `${c}-${i}`);
    await manager.enqueueBatch(
      [DOWN, SLOW].flatMap((c) =>
        backlog(c).map((key) => ({
          name: AgencyJobName.SubmitDossier,
          payload: testPayload(c, key),
          jobId: `bad-${key}`,
        })),
      ),
    );
    await waitFor(async () => (await manager.state(DOWN)).state === 'open', 'the down agency’s circuit');
    const sharedStart = Date.now();
    await enqueueOnePerAgency(manager, others, 'shared');
    await waitFor(() => othersDone('shared'), 'the others beside the bad two', 30_000);
    const sharedMs = Date.now() - sharedStart;

    // Full speed: within a third of the time the others took alone (machine noise included).
    expect(sharedMs).toBeLessThanOrEqual(Math.max(1.5 * soloMs, soloMs + 1_000));
    // The slow agency was still working through its line: it did not get ahead by taking slots.
    const slowLeft = await manager.counts(SLOW);
    expect(slowLeft.waiting + slowLeft.active).toBeGreaterThan(0);
    expect(slowMaxInFlight).toBe(2);
    // The down agency was called until its circuit opened, and not again.
    expect(downCalls).toBeLessThanOrEqual(3 + 1);
    const downLeft = await manager.counts(DOWN);
    expect(downLeft).toMatchObject({ active: 0, completed: 0, waiting: 0 });
    expect(downLeft.paused + downLeft.delayed).toBe(30);
    expect(harness.recorder.deadLetters).toEqual([]);
    // One blocking connection for the process, not one per agency.
    expect(await namedConnections(harness.queuePrefix)).toBe(1);
  });

  it('holds an agency’s concurrency of 1 across two worker processes', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const ranBy = [0, 0];
    const handler = (worker: number) => async () => {
      ranBy[worker]++;
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await sleep(30);
      inFlight--;
    };
    const workers = [harness.manager({ handle: handler(0) }), harness.manager({ handle: handler(1) })];
    await Promise.all(workers.map((w) => w.ensureAgency('IGATE', testSettings({ concurrency: 1 }))));
    const jobs = Array.from({ length: 30 }, (_, i) => ({
      name: AgencyJobName.SubmitDossier,
      payload: testPayload('IGATE', `legacy-${i}`),
      jobId: `legacy-${i}`,
    }));
    // Each process enqueues half, so both have the agency's jobs in hand at once.
    await Promise.all([workers[0].enqueueBatch(jobs.slice(0, 15)), workers[1].enqueueBatch(jobs.slice(15))]);

    // Both compete for the agency's one slot; the worker holding it may keep it for the jobs it
    // has in hand, so once ten calls are done the busier one stops and the other must carry on.
    await waitFor(() => ranBy[0] + ranBy[1] >= 10, 'ten calls', 15_000);
    await workers[ranBy[0] >= ranBy[1] ? 0 : 1].close();
    await waitFor(() => ranBy[0] + ranBy[1] === 30, 'all 30 calls', 15_000);
    expect(maxInFlight).toBe(1);
    expect(ranBy[0]).toBeGreaterThan(0);
    expect(ranBy[1]).toBeGreaterThan(0);
  });
});
