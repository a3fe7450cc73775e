import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { IntegrationError, IntegrationErrorCode, toIntegrationError } from '@bridge/adapter-sdk';
import type { AgencyJobName, AnyAgencyJobPayload } from './agency-jobs';
import type { AgencyQueueHooks, AgencyQueueSettings, AttemptRecord } from './agency-queue.types';
import type { CircuitBreaker } from './circuit-breaker';
import { backoffDelayMs, decideOnFailure } from './retry-policy';
import { runWithTimeLimit } from './time-limit';

/** What an agency job stores in Redis: the payload plus the history the dead letter needs. */
export interface AgencyJobData {
  payload: AnyAgencyJobPayload;
  /** Every failed attempt so far, oldest first. */
  failures: AttemptRecord[];
  /** Set when the job was decided dead but `onDeadLetter` failed: only that is retried. */
  pendingDeadLetter?: { reason: string };
}

/** The BullMQ backoff type of agency jobs; its delay always comes from `decideOnFailure`. */
export const AGENCY_BACKOFF_TYPE = 'agency-decision';

/** Thrown to BullMQ to schedule a retry; carries the delay `decideOnFailure` chose. */
export class ScheduledRetryError extends Error {
  constructor(
    readonly error: IntegrationError,
    readonly delayMs: number,
  ) {
    super(`${error.code}: ${error.message}`);
    this.name = 'ScheduledRetryError';
  }
}

/** What the processor of one agency works with; settings are read per job so updates apply at once. */
export interface AgencyProcessorContext {
  queueName: string;
  settings(): AgencyQueueSettings;
  hooks: AgencyQueueHooks;
  breaker: CircuitBreaker;
  random: () => number;
  /** How long to wait before trying `onDeadLetter` again after it failed. */
  deadLetterRetryMs: number;
  /** A job that stalled this many times is dead-lettered instead of run again. */
  maxStalls: number;
}

type AgencyBullJob = Job<AgencyJobData, void, AgencyJobName>;

/**
 * Thrown by a handler whose job cannot run yet for a reason that is no failure of the agency
 * (another run of the same work holds it): the job comes back after `delayMs` without using an
 * attempt and without counting against the agency's circuit.
 */
export class ComeBackLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'ComeBackLaterError';
  }
}

/**
 * Builds the BullMQ processor of an agency: run the handler under the time limit (a success
 * resets the circuit count where the gate frees the slot: AgencyGate.release); on failure classify, decide, and either schedule the retry or
 * dead-letter. Every path ends in one of: return, ScheduledRetryError, UnrecoverableError,
 * DelayedError.
 */
export function createAgencyProcessor(ctx: AgencyProcessorContext) {
  return async (job: AgencyBullJob, token?: string, signal?: AbortSignal): Promise<void> => {
    const data = job.data;
    if (data.pendingDeadLetter) {
      const last = data.failures[data.failures.length - 1];
      const error = new IntegrationError(
        last?.code ?? IntegrationErrorCode.PERMANENT,
        last?.message ?? data.pendingDeadLetter.reason,
      );
      return deadLetter(ctx, job, token, data, error, data.pendingDeadLetter.reason);
    }
    if (job.stalledCounter >= ctx.maxStalls) {
      // The job keeps killing (or losing) its worker; running it again would do the same.
      const error = IntegrationError.temporary(
        `the job stalled ${job.stalledCounter} times: its worker died or lost the lock`,
      );
      const failures = [
        ...data.failures,
        { at: new Date().toISOString(), code: error.code, message: error.message },
      ];
      return deadLetter(ctx, job, token, { ...data, failures }, error, error.message);
    }
    const settings = ctx.settings();
    try {
      await runWithTimeLimit(
        (jobSignal) =>
          ctx.hooks.handler.handle(
            { id: job.id ?? '', name: job.name, payload: data.payload, attemptsMade: job.attemptsMade },
            jobSignal,
          ),
        settings.timeoutMs,
        () => IntegrationError.temporary(`agency call timed out after ${settings.timeoutMs} ms`),
        signal,
        () => IntegrationError.temporary('agency call interrupted: the worker is shutting down'),
      );
    } catch (thrown) {
      if (thrown instanceof ComeBackLaterError) {
        await job.moveToDelayed(Date.now() + thrown.delayMs, token);
        throw new DelayedError();
      }
      return handleFailure(ctx, job, token, toIntegrationError(thrown));
    }
    // A success resets the circuit's failure count when the gate frees the job's slot.
  };
}

async function handleFailure(
  ctx: AgencyProcessorContext,
  job: AgencyBullJob,
  token: string | undefined,
  error: IntegrationError,
): Promise<never> {
  const failures = [
    ...job.data.failures,
    { at: new Date().toISOString(), code: error.code, message: error.message },
  ];
  const policy = ctx.settings().retry;
  // A job keeps the attempts it was created with; never promise a retry BullMQ will not make.
  const maxAttempts = Math.min(policy.maxAttempts, job.opts.attempts ?? policy.maxAttempts);
  const decision = decideOnFailure(error, job.attemptsMade + 1, { ...policy, maxAttempts }, ctx.random);
  await ctx.breaker
    .recordFailure(error)
    .catch((e) => ctx.hooks.onInternalError?.(e, `circuit failure of ${ctx.queueName}`));
  const data: AgencyJobData = { ...job.data, failures };
  if (decision.action === 'retry') {
    await job.updateData(data);
    throw new ScheduledRetryError(error, decision.delayMs);
  }
  return deadLetter(ctx, job, token, data, error, decision.reason);
}

async function deadLetter(
  ctx: AgencyProcessorContext,
  job: AgencyBullJob,
  token: string | undefined,
  data: AgencyJobData,
  error: IntegrationError,
  reason: string,
): Promise<never> {
  try {
    await ctx.hooks.onDeadLetter({
      job: { id: job.id ?? '', name: job.name, payload: data.payload, queue: ctx.queueName },
      error,
      attempts: data.failures,
      reason,
    });
  } catch (hookError) {
    // The dead letter is not stored yet: keep the job, and later retry only the storing.
    ctx.hooks.onInternalError?.(hookError, `dead letter of job ${job.id} in ${ctx.queueName}`);
    await job.updateData({ ...data, pendingDeadLetter: { reason } });
    await job.moveToDelayed(Date.now() + ctx.deadLetterRetryMs, token);
    throw new DelayedError();
  }
  throw new UnrecoverableError(reason);
}

/** Used when BullMQ asks for a backoff of a job whose agency this process does not serve. */
const FALLBACK_BACKOFF_MS = 5_000;

/**
 * The shared worker's backoff strategy: the delay decided when the attempt failed. Anything
 * else reaching here (a Redis error while recording the failure) gets the plain backoff of the
 * job's agency.
 */
export function agencyBackoffStrategy(
  settingsOf: (agencyCode: string) => AgencyQueueSettings | undefined,
  random: () => number,
) {
  return (attemptsMade: number, _type?: string, error?: Error, job?: { data?: unknown }): number => {
    if (error instanceof ScheduledRetryError) return error.delayMs;
    const code = (job?.data as Partial<AgencyJobData> | undefined)?.payload?.agencyCode;
    const settings = code ? settingsOf(code) : undefined;
    return settings ? backoffDelayMs(attemptsMade, settings.retry, random) : FALLBACK_BACKOFF_MS;
  };
}
