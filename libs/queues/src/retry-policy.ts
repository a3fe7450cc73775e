import { IntegrationError, IntegrationErrorCode } from '@bridge/adapter-sdk';

/** How an agency's failed jobs are retried; comes from the agency's configuration file. */
export interface RetryPolicy {
  /** Attempts in total, the first one included (1 = never retry). */
  maxAttempts: number;
  /** Delay before the first retry; each further retry doubles it. */
  baseDelayMs: number;
  /** No retry waits longer than this, whatever the backoff or the agency's Retry-After says. */
  maxDelayMs: number;
  /** 0..1: the share of each delay that is randomised, so retries of many jobs spread out. */
  jitter: number;
}

/** What to do with a job whose attempt just failed. */
export type FailureDecision =
  { action: 'retry'; delayMs: number } | { action: 'dead-letter'; reason: string };

/** Throws an error naming the field when a retry policy cannot work. */
export function assertRetryPolicy(policy: RetryPolicy): void {
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    problems.push(`maxAttempts must be an integer >= 1 (got ${policy.maxAttempts})`);
  }
  if (!Number.isFinite(policy.baseDelayMs) || policy.baseDelayMs < 0) {
    problems.push(`baseDelayMs must be a number >= 0 (got ${policy.baseDelayMs})`);
  }
  if (!Number.isFinite(policy.maxDelayMs) || policy.maxDelayMs < policy.baseDelayMs) {
    problems.push(`maxDelayMs must be a number >= baseDelayMs (got ${policy.maxDelayMs})`);
  }
  if (!Number.isFinite(policy.jitter) || policy.jitter < 0 || policy.jitter > 1) {
    problems.push(`jitter must be between 0 and 1 (got ${policy.jitter})`);
  }
  if (problems.length > 0) throw new Error(`invalid retry policy: ${problems.join('; ')}`);
}

/**
 * Exponential backoff for the retry after attempt `attemptsMade`: base · 2^(n-1), capped at
 * maxDelayMs, then lowered by up to `jitter` of itself so that jobs failing together do not
 * all come back at the same moment.
 */
export function backoffDelayMs(
  attemptsMade: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  // 2^(n-1) overflows to Infinity for huge n; Math.min keeps the cap exact in that case.
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  const spread = exponential * policy.jitter * clampUnit(random());
  return Math.floor(exponential - spread);
}

/**
 * THE mapping from error codes to retry, delay or dead letter. Pure: the same inputs (and
 * random values) always give the same decision.
 *
 * - PERMANENT, AUTH, NOT_FOUND: retrying cannot help, so dead-letter at once with the reason.
 * - attempts exhausted: dead-letter, naming how many attempts were made and the last error.
 * - RATE_LIMITED or TEMPORARY with a retry-after hint: wait what the agency asked (capped).
 * - otherwise (TEMPORARY, RATE_LIMITED without hint): exponential backoff with jitter.
 *
 * @param attemptsMade attempts made so far, the one that just failed included (>= 1).
 * @param random source of randomness in [0, 1), injectable for tests.
 */
export function decideOnFailure(
  error: IntegrationError,
  attemptsMade: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): FailureDecision {
  const lastError = `${error.code}: ${error.message}`;
  switch (error.code) {
    case IntegrationErrorCode.PERMANENT:
    case IntegrationErrorCode.AUTH:
    case IntegrationErrorCode.NOT_FOUND:
      return { action: 'dead-letter', reason: `${lastError} (not retried)` };
    case IntegrationErrorCode.TEMPORARY:
    case IntegrationErrorCode.RATE_LIMITED:
      break;
    default:
      return { action: 'dead-letter', reason: `unknown error code ${String(error.code)}: ${error.message}` };
  }
  if (attemptsMade >= policy.maxAttempts) {
    return { action: 'dead-letter', reason: `gave up after ${attemptsMade} attempts: ${lastError}` };
  }
  const hint = error.retryAfterMs;
  if (typeof hint === 'number' && Number.isFinite(hint) && hint >= 0) {
    return { action: 'retry', delayMs: Math.floor(Math.min(hint, policy.maxDelayMs)) };
  }
  return { action: 'retry', delayMs: backoffDelayMs(attemptsMade, policy, random) };
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, 1);
}
