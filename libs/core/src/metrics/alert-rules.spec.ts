import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BridgeMetrics } from './bridge-metrics';

const RULES = join(__dirname, '..', '..', '..', '..', 'docker', 'prometheus', 'alerts.yaml');

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string }> }>;
}

describe('example Prometheus alert rules (docker/prometheus/alerts.yaml)', () => {
  const file = parse(readFileSync(RULES, 'utf8')) as RuleFile;
  const rules = file.groups.flatMap((g) => g.rules);

  it('alert only on metrics the bridge exposes', async () => {
    const exposed = new Set((await new BridgeMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set(rules.flatMap((r) => [...r.expr.matchAll(/\b(bridge_[a-z_]+)/g)].map((m) => m[1])));
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('cover failing or stale polls and parked events', () => {
    const exprs = rules.map((r) => r.expr).join('\n');
    expect(exprs).toContain('bridge_agency_poll_unhealthy');
    expect(exprs).toContain('bridge_agency_last_poll_success_timestamp_seconds');
    expect(exprs).toContain('bridge_parked_event_oldest_age_seconds');
    for (const rule of rules) expect(rule.for).toMatch(/^\d+[smh]$/);
  });
});
