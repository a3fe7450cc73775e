import { CONFORMANCE_CHECKS, ConformanceTarget } from './conformance-checks';
import { runConformance } from './run-conformance';
import { ConformanceReport } from './conformance-checks';

/**
 * The one conformance suite every adapter kind passes against its simulator (jest only).
 * `setup` starts the simulator and builds the adapter; `teardown` stops both.
 */
export function describeAdapterConformance(
  kind: string,
  setup: () => Promise<ConformanceTarget>,
  teardown: () => Promise<void>,
): void {
  describe(`${kind} adapter conformance`, () => {
    let report: ConformanceReport;

    beforeAll(async () => {
      const target = await setup();
      report = await runConformance(target);
    });
    afterAll(teardown);

    it.each(CONFORMANCE_CHECKS.map((c) => [c.name]))('%s', (name) => {
      const result = report.results.find((r) => r.name === name)!;
      expect({ name, outcome: result.outcome, detail: result.detail }).toEqual({
        name,
        outcome: 'passed',
        detail: result.detail,
      });
    });

    it('records every message exchanged with the agency', () => {
      expect(report.messages.length).toBeGreaterThan(0);
      expect(report.messages.some((m) => m.direction === 'outbound')).toBe(true);
      expect(report.messages.some((m) => m.direction === 'inbound')).toBe(true);
    });
  });
}
