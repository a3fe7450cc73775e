import { IntegrationError, IntegrationErrorCode } from '@bridge/adapter-sdk';
import { AgencyJobName, deterministicJobId } from './agency-jobs';
import type { AgencyJob } from './agency-queue.types';
import {
  enqueueMany,
  INT_TEST_TIMEOUT_MS,
  QueueTestHarness,
  sleep,
  testPayload,
  testSettings,
  waitFor,
} from './testing/queue-test-harness';

jest.setTimeout(INT_TEST_TIMEOUT_MS);

describe('AgencyQueueManager (real Redis)', () => {
  let harness: QueueTestHarness;
  beforeEach(() => {
    harness = new QueueTestHarness();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('retries a transient failure with growing delays, then succeeds', async () => {
    const attempts: Array<{ at: number; attemptsMade: number }> = [];
    let completed = false;
    const manager = harness.manager({
      handle: async (job) => {
        attempts.push({ at: Date.now(), attemptsMade: job.attemptsMade });
        if (attempts.length <= 3) throw IntegrationError.temporary(`upstream 503 #${attempts.length}`);
        completed = true;
      },
    });
    await manager.ensureAgency(
      'HCM',
      testSettings({ retry: { maxAttempts: 5, baseDelayMs: 80, maxDelayMs: 5_000, jitter: 0 } }),
    );
    await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM'), { jobId: 'retry-me' });

    await waitFor(() => completed, 'the fourth attempt to succeed');
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
    expect(attempts.map((a) => a.attemptsMade)).toEqual([0, 1, 2, 3]);
    // Decided delays are 80, 160, 320 ms; scheduling adds a little, never removes any.
    [80, 160, 320].forEach((delay, i) => expect(gaps[i]).toBeGreaterThanOrEqual(delay - 5));
    expect(gaps[1]).toBeGreaterThan(gaps[0]);
    expect(gaps[2]).toBeGreaterThan(gaps[1]);
    await waitFor(async () => (await manager.counts('HCM')).completed === 1, 'the job to be completed');
    expect(harness.recorder.deadLetters).toEqual([]);
  });

  it('waits what a RATE_LIMITED agency asked for before the retry', async () => {
    const starts: number[] = [];
    const manager = harness.manager({
      handle: async () => {
        starts.push(Date.now());
        if (starts.length === 1) throw IntegrationError.rateLimited('429 Too Many Requests', 400);
      },
    });
    await manager.ensureAgency('HCM', testSettings());
    await manager.enqueue(AgencyJobName.SubmitSupplement, testPayload('HCM'), { jobId: 'supplement-1' });
    await waitFor(() => starts.length === 2, 'the retry');
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(395);
  });

  it('dead-letters a permanent failure at once: one call, one attempt, the reason', async () => {
    let calls = 0;
    const manager = harness.manager({
      handle: async () => {
        calls++;
        throw IntegrationError.permanent('applicant.idNumber: must have 12 digits');
      },
    });
    await manager.ensureAgency('HCM', testSettings());
    const payload = testPayload('HCM');
    await manager.enqueue(AgencyJobName.SubmitDossier, payload, { jobId: 'bad-dossier' });

    await waitFor(() => harness.recorder.deadLetters.length === 1, 'the dead letter');
    await sleep(300); // long enough for any (wrong) retry at the 50 ms base delay
    expect(calls).toBe(1);
    const [deadLetter] = harness.recorder.deadLetters;
    expect(harness.recorder.deadLetters).toHaveLength(1);
    expect(deadLetter.reason).toContain('PERMANENT: applicant.idNumber: must have 12 digits');
    expect(deadLetter.attempts).toEqual([
      {
        at: expect.any(String) as string,
        code: IntegrationErrorCode.PERMANENT,
        message: 'applicant.idNumber: must have 12 digits',
      },
    ]);
    expect(deadLetter.job).toMatchObject({ id: 'bad-dossier', name: AgencyJobName.SubmitDossier, payload });
    await waitFor(async () => (await manager.counts('HCM')).failed === 1, 'the job to end failed');
  });

  it('counts only consecutive failures toward the circuit: a success between them starts over', async () => {
    // One job at a time (no retries): fail, fail, succeed, fail, fail — never three in a row.
    const script = ['fail', 'fail', 'ok', 'fail', 'fail'];
    const seen: string[] = [];
    const manager = harness.manager({
      handle: async (job) => {
        seen.push(job.id);
        if (script[seen.length - 1] === 'fail')
          throw IntegrationError.temporary(`upstream 503 for ${job.id}`);
      },
    });
    await manager.ensureAgency(
      'HCM',
      testSettings({
        retry: { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 50, jitter: 0 },
        circuit: { failureThreshold: 3, openMs: 60_000 },
      }),
    );
    for (const [i] of script.entries()) {
      await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM'), { jobId: `job-${i}` });
      await waitFor(() => seen.length === i + 1, `job ${i} to run`);
      await waitFor(async () => (await manager.counts('HCM')).active === 0, `job ${i} to end`);
    }
    expect(await manager.state('HCM')).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    expect(harness.recorder.opened).toEqual([]);
  });

  it('enqueues a batch in order: kept ids are left alone, a dead-lettered one runs again', async () => {
    const handled: string[] = [];
    let failing = true;
    const manager = harness.manager({
      handle: async (job) => {
        if (failing && job.id === 'second') throw IntegrationError.permanent('refused the first time');
        handled.push(job.id);
      },
    });
    await manager.ensureAgency('HCM', testSettings({ concurrency: 1 }));
    await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM'), { jobId: 'first' });
    await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM'), { jobId: 'second' });
    await waitFor(() => handled.includes('first') && harness.recorder.deadLetters.length === 1, 'both runs');

    failing = false;
    const created = await manager.enqueueBatch(
      ['third', 'first', 'second', 'fourth'].map((jobId) => ({
        name: AgencyJobName.SubmitDossier,
        payload: testPayload('HCM'),
        jobId,
      })),
    );
    expect(created).toEqual([true, false, true, true]);
    await waitFor(() => handled.length === 4, 'the new and replayed jobs');
    expect(handled).toEqual(['first', 'third', 'second', 'fourth']);
  });

  it('dead-letters after the last attempt with every attempt’s error and time', async () => {
    let calls = 0;
    const manager = harness.manager({
      handle: async () => {
        calls++;
        throw IntegrationError.temporary(`upstream 503 #${calls}`);
      },
    });
    await manager.ensureAgency(
      'HCM',
      testSettings({ retry: { maxAttempts: 3, baseDelayMs: 30, maxDelayMs: 100, jitter: 0.5 } }),
    );
    await manager.enqueue(AgencyJobName.NotifyDelivered, testPayload('HCM'), { jobId: 'never-works' });

    await waitFor(() => harness.recorder.deadLetters.length === 1, 'the dead letter');
    const [deadLetter] = harness.recorder.deadLetters;
    expect(deadLetter.reason).toBe('gave up after 3 attempts: TEMPORARY: upstream 503 #3');
    expect(deadLetter.attempts.map((a) => `${a.code} ${a.message}`)).toEqual([
      'TEMPORARY upstream 503 #1',
      'TEMPORARY upstream 503 #2',
      'TEMPORARY upstream 503 #3',
    ]);
    const times = deadLetter.attempts.map((a) => Date.parse(a.at));
    expect(times[1]).toBeGreaterThan(times[0]);
    expect(times[2]).toBeGreaterThan(times[1]);
    expect(deadLetter.error.code).toBe(IntegrationErrorCode.TEMPORARY);
    expect(calls).toBe(3);
  });

  it('runs the handler once when the same job id is enqueued twice, and replays a dead-lettered id', async () => {
    const seen: AgencyJob[] = [];
    let failNext = false;
    const manager = harness.manager({
      handle: async (job) => {
        seen.push(job);
        if (failNext) throw IntegrationError.notFound('no such dossier');
      },
    });
    await manager.ensureAgency('HCM', testSettings());
    const jobId = deterministicJobId(AgencyJobName.SubmitDossier, 'HCM', 'dossier-7');
    const first = await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM', 'dossier-7'), {
      jobId,
    });
    const second = await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM', 'dossier-7'), {
      jobId,
    });
    await waitFor(async () => (await manager.counts('HCM')).completed === 1, 'the job to complete');
    const afterDone = await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM', 'dossier-7'), {
      jobId,
    });
    await sleep(200);
    expect([first.created, second.created, afterDone.created]).toEqual([true, false, false]);
    expect(seen).toHaveLength(1);

    failNext = true;
    const failingId = deterministicJobId(AgencyJobName.SubmitDossier, 'HCM', 'dossier-8');
    await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM', 'dossier-8'), { jobId: failingId });
    await waitFor(() => harness.recorder.deadLetters.length === 1, 'the dead letter');
    failNext = false;
    const replay = await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM', 'dossier-8'), {
      jobId: failingId,
    });
    await waitFor(() => seen.filter((j) => j.id === failingId).length === 2, 'the replay to run');
    expect(replay.created).toBe(true);
  });

  it('keeps a dead letter whose storing failed and stores it later without calling the agency again', async () => {
    let calls = 0;
    let storeAttempts = 0;
    const manager = harness.manager(
      {
        handle: async () => {
          calls++;
          throw IntegrationError.auth('credentials refused');
        },
        onDeadLetter: async () => {
          if (++storeAttempts === 1) throw new Error('database unavailable');
        },
      },
      { deadLetterRetryMs: 100 },
    );
    await manager.ensureAgency('HCM', testSettings());
    await manager.enqueue(AgencyJobName.SubmitSupplement, testPayload('HCM'), { jobId: 'auth-fails' });

    await waitFor(() => harness.recorder.deadLetters.length === 1, 'the stored dead letter');
    expect(storeAttempts).toBe(2);
    expect(calls).toBe(1);
    expect(harness.recorder.deadLetters[0].reason).toContain('AUTH: credentials refused');
  });

  it('fails a hung agency call as TEMPORARY after timeoutMs and retries it', async () => {
    let calls = 0;
    const manager = harness.manager({
      handle: (_job, signal) => {
        calls++;
        if (calls > 1) return Promise.resolve();
        return new Promise<void>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      },
    });
    await manager.ensureAgency('HCM', testSettings({ timeoutMs: 150 }));
    await manager.enqueue(AgencyJobName.SubmitDossier, testPayload('HCM'), { jobId: 'hangs-once' });
    await waitFor(async () => (await manager.counts('HCM')).completed === 1, 'the retried job to complete');
    expect(calls).toBe(2);
    expect(harness.recorder.deadLetters).toEqual([]);
  });

  it('applies new concurrency and rate limits without a restart', async () => {
    let running = 0;
    let maxRunning = 0;
    const done: number[] = [];
    const manager = harness.manager({
      handle: async () => {
        maxRunning = Math.max(maxRunning, ++running);
        await sleep(40);
        running--;
        done.push(Date.now());
      },
    });
    await manager.ensureAgency('HCM', testSettings({ concurrency: 1 }));
    await enqueueMany(manager, 'HCM', 6, 'serial');
    await waitFor(() => done.length === 6, 'the serial jobs');
    expect(maxRunning).toBe(1);

    await manager.ensureAgency('HCM', testSettings({ concurrency: 4 }));
    await enqueueMany(manager, 'HCM', 12, 'parallel');
    await waitFor(() => done.length === 18, 'the parallel jobs');
    expect(maxRunning).toBe(4);

    await manager.ensureAgency(
      'HCM',
      testSettings({ concurrency: 4, rateLimit: { max: 2, durationMs: 300 } }),
    );
    const limitedFrom = Date.now();
    await enqueueMany(manager, 'HCM', 6, 'limited');
    await waitFor(() => done.length === 24, 'the rate-limited jobs');
    // 6 jobs at 2 per 300 ms need at least two full windows after the first.
    expect(Date.now() - limitedFrom).toBeGreaterThanOrEqual(600);
  });

  it('refuses bad settings and unknown agencies with errors that name the problem', async () => {
    const manager = harness.manager({ handle: async () => undefined });
    await expect(manager.ensureAgency('HCM', testSettings({ concurrency: 0 }))).rejects.toThrow(
      'agency HCM: invalid queue settings: concurrency must be an integer >= 1',
    );
    await expect(
      manager.enqueue(AgencyJobName.SubmitSupplement, testPayload('NOPE'), { jobId: 'x' }),
    ).rejects.toThrow('agency NOPE has no delivery queue here');
  });
});
