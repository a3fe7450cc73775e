import type { AgencyQueueSettings } from './agency-queue.types';
import { assertCircuitSettings } from './circuit-breaker';
import { assertRetryPolicy } from './retry-policy';

/**
 * Throws one error naming the agency and every field that is wrong, so a bad agency file is
 * refused before any queue changes.
 */
export function assertAgencyQueueSettings(agencyCode: string, settings: AgencyQueueSettings): void {
  const problems: string[] = [];
  if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1) {
    problems.push(`concurrency must be an integer >= 1 (got ${settings.concurrency})`);
  }
  const rate = settings.rateLimit;
  if (
    rate &&
    (!Number.isInteger(rate.max) || rate.max < 1 || !Number.isFinite(rate.durationMs) || rate.durationMs <= 0)
  ) {
    problems.push(`rateLimit needs an integer max >= 1 and durationMs > 0 (got ${JSON.stringify(rate)})`);
  }
  if (settings.timeoutMs !== undefined && (!Number.isFinite(settings.timeoutMs) || settings.timeoutMs <= 0)) {
    problems.push(`timeoutMs must be a number > 0 (got ${settings.timeoutMs})`);
  }
  for (const check of [
    () => assertRetryPolicy(settings.retry),
    () => assertCircuitSettings(settings.circuit),
  ]) {
    try {
      check();
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) {
    throw new Error(`agency ${agencyCode}: invalid queue settings: ${problems.join('; ')}`);
  }
}
