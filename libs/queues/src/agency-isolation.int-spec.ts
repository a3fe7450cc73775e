import { IntegrationError } from '@bridge/adapter-sdk';
import type { AgencyJob } from './agency-queue.types';
import {
  enqueueMany,
  INT_TEST_TIMEOUT_MS,
  QueueTestHarness,
  sleep,
  testSettings,
  waitFor,
} from './testing/queue-test-harness';

/** Agency B's call takes this long, like a real agency round trip. */
const B_CALL_MS = 15;
const WINDOW_MS = 1_000;

jest.setTimeout(INT_TEST_TIMEOUT_MS);

/**
 * B's completions in its best of three windows of {@link WINDOW_MS} in a row: a window in which
 * the machine was busy with other work (the full test run) says nothing about the queues; both
 * sides are measured the same way, and 900 jobs outlast the three windows (at about 250 a second).
 */
async function bestWindow(completedIn: (from: number) => number): Promise<number> {
  let best = 0;
  for (let window = 0; window < 3; window++) {
    const start = Date.now();
    await sleep(WINDOW_MS);
    best = Math.max(best, completedIn(start));
  }
  return best;
}

describe('per-agency isolation and circuit breaker (real Redis)', () => {
  let harness: QueueTestHarness;
  beforeEach(() => {
    harness = new QueueTestHarness();
  });
  afterEach(async () => {
    await harness.cleanup();
  });

  it('keeps agency B at full speed while agency A hangs; A’s circuit opens, and closes once A is fixed', async () => {
    const bDone: number[] = [];
    let aFixed = false;
    let aCompleted = 0;
    const probes: boolean[] = [];
    const manager = harness.manager({
      handle: async (job: AgencyJob, signal) => {
        if (job.payload.agencyCode === 'B') {
          await sleep(B_CALL_MS);
          bDone.push(Date.now());
        } else if (aFixed) {
          aCompleted++;
        } else {
          // A hangs until the time limit aborts it.
          await new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error('socket hang up'))),
          );
        }
      },
      probe: async () => {
        probes.push(aFixed);
        return aFixed;
      },
    });
    const completedIn = (from: number) => bDone.filter((t) => t >= from && t < from + WINDOW_MS).length;

    await manager.ensureAgency('B', testSettings({ concurrency: 4 }));
    await enqueueMany(manager, 'B', 900, 'solo');
    const solo = await bestWindow(completedIn);
    // Start the second window from the same empty queue.
    await manager.removeAgency('B', { discardJobs: true });
    await manager.ensureAgency('B', testSettings({ concurrency: 4 }));

    const aSettings = testSettings({
      concurrency: 3,
      timeoutMs: 200,
      retry: { maxAttempts: 50, baseDelayMs: 50, maxDelayMs: 200, jitter: 0.2 },
      circuit: { failureThreshold: 6, openMs: 400 },
    });
    await manager.ensureAgency('A', aSettings);
    await enqueueMany(manager, 'A', 20, 'faulty');
    await enqueueMany(manager, 'B', 900, 'shared');
    const shared = await bestWindow(completedIn);
    expect(solo).toBeGreaterThan(50);

    await waitFor(() => harness.recorder.opened.length === 1, 'A’s circuit to open');
    expect(harness.recorder.opened[0]).toMatchObject({
      agencyCode: 'A',
      info: { failures: 6, lastError: { code: 'TEMPORARY' } },
    });
    expect(await manager.state('A')).toMatchObject({
      state: 'open',
      queuePaused: true,
      pausedByOperator: false,
    });
    expect((await manager.state('B')).state).toBe('closed');

    await waitFor(() => probes.length >= 1, 'a first (failing) probe', 3_000);
    // The probe reports before its result is written: wait for the write, then for nothing else.
    await waitFor(async () => (await manager.state('A')).state === 'open', 'the circuit to re-open');
    expect(harness.recorder.closed).toEqual([]);

    aFixed = true;
    await waitFor(() => harness.recorder.closed.length === 1, 'A’s circuit to close', 3_000);
    await waitFor(
      async () => (await manager.counts('A')).completed === 20,
      'A’s remaining jobs to complete',
      5_000,
    );
    expect(await manager.state('A')).toMatchObject({
      state: 'closed',
      queuePaused: false,
      consecutiveFailures: 0,
    });
    expect(aCompleted).toBe(20);
    expect(harness.recorder.opened).toHaveLength(1);
    expect(harness.recorder.deadLetters).toEqual([]);

    // B alone again, measured the same way: A holding B back would show as `shared` below both
    // solo figures, while a full test run loading the machine in one phase only lowers one.
    await manager.removeAgency('B', { discardJobs: true });
    await manager.ensureAgency('B', testSettings({ concurrency: 4 }));
    await enqueueMany(manager, 'B', 900, 'solo again');
    const soloAgain = await bestWindow(completedIn);
    expect(shared).toBeGreaterThanOrEqual(0.7 * Math.min(solo, soloAgain));
  });

  it('runs nothing of an operator-paused agency, and the breaker’s probe does not resume it', async () => {
    let failing = true;
    let calls = 0;
    const manager = harness.manager({
      handle: async () => {
        calls++;
        if (failing) throw IntegrationError.temporary('upstream 502');
      },
    });
    await manager.ensureAgency(
      'A',
      testSettings({
        retry: { maxAttempts: 50, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
        circuit: { failureThreshold: 3, openMs: 200 },
      }),
    );
    await manager.pause('A');
    await enqueueMany(manager, 'A', 5, 'held');
    await sleep(300);
    expect(calls).toBe(0);
    expect(await manager.counts('A')).toMatchObject({ paused: 5, waiting: 0, active: 0 });
    expect(await manager.state('A')).toMatchObject({ pausedByOperator: true, queuePaused: true });

    await manager.resume('A');
    await waitFor(() => harness.recorder.opened.length === 1, 'the circuit to open');
    await manager.pause('A'); // a person steps in while the circuit is open
    failing = false;
    await waitFor(() => harness.recorder.closed.length === 1, 'the probe to close the circuit', 3_000);
    expect(harness.recorder.closed[0].info.stillPausedByOperator).toBe(true);
    const callsAfterProbe = calls;
    await sleep(300);
    expect(calls).toBe(callsAfterProbe);
    expect(await manager.state('A')).toMatchObject({
      state: 'closed',
      pausedByOperator: true,
      queuePaused: true,
    });

    await manager.resume('A');
    await waitFor(
      async () => (await manager.counts('A')).completed === 5,
      'the held jobs to complete after the operator resumed',
    );
  });

  it('lets exactly one of several processes run the probe at a time', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const probeStarts: number[] = [];
    const probe = async () => {
      probeStarts.push(Date.now());
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await sleep(150);
      inFlight--;
      return false;
    };
    const handle = async () => {
      throw IntegrationError.temporary('connection refused');
    };
    const settings = testSettings({
      retry: { maxAttempts: 50, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
      circuit: { failureThreshold: 2, openMs: 100 },
    });
    const processes = [
      harness.manager({ handle, probe }),
      harness.manager({ handle, probe }),
      harness.manager({ handle, probe }),
    ];
    await Promise.all(processes.map((m) => m.ensureAgency('A', settings)));
    await enqueueMany(processes[0], 'A', 3, 'shared');

    await waitFor(() => probeStarts.length >= 3, 'three probe rounds', 5_000);
    expect(maxInFlight).toBe(1);
    // Each round waits for the previous probe (150 ms) and then openMs (100 ms) more.
    probeStarts.slice(1).forEach((start, i) => expect(start - probeStarts[i]).toBeGreaterThanOrEqual(240));
    expect(harness.recorder.opened).toHaveLength(1);
    const state = await processes[1].state('A');
    expect(['open', 'half_open']).toContain(state.state);
    expect(state.queuePaused).toBe(true);
  });
});
