/** How reconnect delays grow. All values in milliseconds. */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** The ceiling no delay exceeds, jitter included. */
  maxDelayMs: number;
  /** Growth factor per attempt. */
  factor: number;
  /** Fraction (0–1) of the delay randomised, so many clients do not reconnect in lockstep. */
  jitter: number;
}

/** Reconnect quickly at first, then at most every ten seconds. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 200,
  maxDelayMs: 10_000,
  factor: 2,
  jitter: 0.2,
};

/**
 * The delay before retry number `attempt` (0-based): capped exponential growth with jitter that
 * only ever shortens the delay, so the cap holds.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`backoff attempt must be a non-negative integer, got ${attempt}`);
  }
  const exponential = policy.initialDelayMs * Math.pow(policy.factor, attempt);
  const capped = Math.min(policy.maxDelayMs, exponential);
  const jitter = Math.min(Math.max(policy.jitter, 0), 1);
  return Math.round(capped * (1 - jitter * random()));
}
