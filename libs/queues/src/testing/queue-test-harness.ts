import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { AgencyJobName } from '../agency-jobs';
import { AgencyQueueManager, AgencyQueueManagerOptions } from '../agency-queue-manager';
import type {
  AgencyJob,
  AgencyQueueHooks,
  AgencyQueueSettings,
  CircuitClosedInfo,
  CircuitOpenedInfo,
  DeadLetter,
} from '../agency-queue.types';

/** Redis of the integration tier (the same service the bridge uses). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Quick settings for tests: small delays, a circuit that stays out of the way unless asked. */
export function testSettings(overrides: Partial<AgencyQueueSettings> = {}): AgencyQueueSettings {
  return {
    concurrency: 1,
    retry: { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 1_000, jitter: 0 },
    circuit: { failureThreshold: 1_000, openMs: 60_000 },
    ...overrides,
  };
}

/** What a test's hooks saw. */
export class HookRecorder {
  readonly deadLetters: DeadLetter[] = [];
  readonly opened: Array<{ agencyCode: string; info: CircuitOpenedInfo }> = [];
  readonly closed: Array<{ agencyCode: string; info: CircuitClosedInfo }> = [];
  readonly internalErrors: Array<{ error: unknown; context: string }> = [];
}

/** One test's manager(s) on their own queue prefix and key prefix, and their cleanup. */
export class QueueTestHarness {
  readonly queuePrefix = `qt${randomBytes(5).toString('hex')}`;
  readonly keyPrefix = `bridge-test-${this.queuePrefix}`;
  readonly recorder = new HookRecorder();
  private readonly managers: AgencyQueueManager[] = [];

  /** A manager whose hooks record into `recorder` and delegate to the given functions. */
  manager(
    parts: {
      handle: (job: AgencyJob, signal: AbortSignal) => Promise<void>;
      probe?: (agencyCode: string) => Promise<boolean>;
      onDeadLetter?: (deadLetter: DeadLetter) => Promise<void>;
    },
    options: Partial<AgencyQueueManagerOptions> = {},
  ): AgencyQueueManager {
    const r = this.recorder;
    const hooks: AgencyQueueHooks = {
      handler: { handle: parts.handle },
      probe: parts.probe ?? (async () => true),
      onDeadLetter: async (deadLetter) => {
        await parts.onDeadLetter?.(deadLetter);
        r.deadLetters.push(deadLetter);
      },
      onCircuitOpened: (agencyCode, info) => void r.opened.push({ agencyCode, info }),
      onCircuitClosed: (agencyCode, info) => void r.closed.push({ agencyCode, info }),
      onInternalError: (error, context) => void r.internalErrors.push({ error, context }),
    };
    const manager = new AgencyQueueManager({
      connection: TEST_REDIS_URL,
      queuePrefix: this.queuePrefix,
      keyPrefix: this.keyPrefix,
      circuitCheckIntervalMs: 50,
      shutdownTimeoutMs: 2_000,
      ...options,
      hooks,
    });
    this.managers.push(manager);
    return manager;
  }

  /** Closes every manager and deletes every key the test created. */
  async cleanup(): Promise<void> {
    await Promise.all(this.managers.map((m) => m.close()));
    const redis = new Redis(TEST_REDIS_URL);
    try {
      for (const pattern of [`bull:${this.queuePrefix}.*`, `${this.keyPrefix}:*`]) {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      }
    } finally {
      await redis.quit();
    }
  }
}

/** A payload for agency `agencyCode` with a unique correlation id. */
export function testPayload(agencyCode: string, dossierId = `d-${randomBytes(4).toString('hex')}`) {
  return { agencyCode, dossierId, correlationId: `c-${dossierId}`, data: { note: 'test' } };
}

/** Enqueues `count` submit-dossier jobs for an agency, a few at a time like a busy core. */
export async function enqueueMany(
  manager: AgencyQueueManager,
  agencyCode: string,
  count: number,
  tag: string,
): Promise<void> {
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) => start + i);
    await Promise.all(
      batch.map((i) =>
        manager.enqueue(AgencyJobName.SubmitDossier, testPayload(agencyCode, `${tag}-${i}`), {
          jobId: `${tag}-${agencyCode}-${i}`,
        }),
      ),
    );
  }
}

/** Per-test time limit of the integration specs (jest's default of 5 s is too tight under load). */
export const INT_TEST_TIMEOUT_MS = 20_000;

/** Polls `check` until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
