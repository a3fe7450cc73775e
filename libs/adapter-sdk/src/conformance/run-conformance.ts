import { randomUUID } from 'node:crypto';
import { CallContext, ExchangedMessage } from '../agency-adapter';
import {
  CheckNotApplicable,
  CheckResult,
  CONFORMANCE_CHECKS,
  ConformanceReport,
  ConformanceTarget,
} from './conformance-checks';

/**
 * Runs every conformance check against a target and reports each one; never throws for a
 * failing check. Backs both the adapter test suites and `bridge agencies test`.
 */
export async function runConformance(target: ConformanceTarget): Promise<ConformanceReport> {
  const messages: ExchangedMessage[] = [];
  const ctx: CallContext = {
    correlationId: `conformance-${randomUUID()}`,
    dryRun: target.dryRun,
    record: (m) => messages.push(m),
  };
  const state = {};
  const results: CheckResult[] = [];
  for (const check of CONFORMANCE_CHECKS) {
    const started = Date.now();
    if (check.files && target.dryRun) {
      results.push({
        name: check.name,
        outcome: 'skipped',
        detail: 'dry run: files at the agency',
        durationMs: 0,
      });
      continue;
    }
    try {
      const detail = await check.run(target, ctx, state);
      results.push({ name: check.name, outcome: 'passed', detail, durationMs: Date.now() - started });
    } catch (error) {
      const outcome = error instanceof CheckNotApplicable ? 'skipped' : 'failed';
      const detail = error instanceof Error ? error.message : String(error);
      results.push({ name: check.name, outcome, detail, durationMs: Date.now() - started });
    }
  }
  return { passed: results.every((r) => r.outcome !== 'failed'), results, messages };
}
