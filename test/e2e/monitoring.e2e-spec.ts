import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { startTestGateway, TestGateway } from '@bridge/testing';

const DOCKER = join(__dirname, '..', '..', 'docker');
const RULES_DIR = join(DOCKER, 'prometheus', 'rules');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const ruleFiles = readdirSync(RULES_DIR).filter((file) => file.endsWith('.yaml'));
const rules = ruleFiles.flatMap((file) =>
  (parse(readFileSync(join(RULES_DIR, file), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
    (group) => group.rules,
  ),
);
const dashboard = JSON.parse(readFileSync(join(DOCKER, 'grafana', 'dashboards', 'bridge.json'), 'utf8')) as {
  uid: string;
  panels: { title: string; targets: { expr: string }[] }[];
  templating: { list: { definition: string }[] };
};
const dashboardExprs = [
  ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
  ...dashboard.templating.list.map((variable) => variable.definition),
];

/** Metric names a PromQL expression reads (ours and the Node process's), without functions and labels. */
function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/"[^"]*"/g, '');
  return [...withoutLabels.matchAll(/\b((?:bridge|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]);
}

function promtool(): string | undefined {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return 'promtool';
  } catch {
    return undefined;
  }
}

/**
 * The monitoring files in docker/ against a real gateway: every metric a Grafana panel or an
 * alert rule reads must be one that /metrics exports, or the panel stays empty and the alert
 * never fires.
 */
describe('Prometheus rules and the Grafana dashboard', () => {
  let gw: TestGateway;
  let exported: Set<string>;

  beforeAll(async () => {
    gw = await startTestGateway('monitoring');
    const key = (await gw.keys.create({ name: 'prometheus', role: 'operator' })).key;
    const { text } = await request(gw.server())
      .get('/metrics')
      .set('Authorization', `Bearer ${key}`)
      .expect(200);
    exported = new Set();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      exported.add(name);
      if (type === 'histogram')
        for (const suffix of ['_bucket', '_sum', '_count']) exported.add(name + suffix);
    }
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('alerts on what an operator must act on, each rule with a summary', () => {
    const alerts = rules.map((rule) => rule.alert);
    for (const wanted of [
      'BridgeAgencyCircuitOpen',
      'BridgeDeadLettersGrowing',
      'BridgeAgencyPollsStale',
      'BridgeLateDossiers',
      'BridgeQueueDepth',
    ])
      expect(alerts).toContain(wanted);
    for (const rule of rules) {
      expect(rule.expr.length).toBeGreaterThan(0);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
    }
    const tool = promtool();
    if (tool) {
      const out = execFileSync(tool, ['check', 'rules', ...ruleFiles.map((f) => join(RULES_DIR, f))], {
        encoding: 'utf8',
      });
      expect(out).toContain(`SUCCESS: ${rules.length} rules found`);
    }
  });

  it('reads in every rule only metrics the bridge exports', () => {
    const missing = rules.flatMap((rule) =>
      metricNames(rule.expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    expect(missing).toEqual([]);
    expect(rules.flatMap((rule) => metricNames(rule.expr)).length).toBeGreaterThanOrEqual(rules.length - 1);
  });

  it('draws in every dashboard panel only metrics the bridge exports', () => {
    expect(dashboard.uid).toBe('postal-one-stop-bridge');
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
    const missing = dashboardExprs.flatMap((expr) => metricNames(expr).filter((name) => !exported.has(name)));
    expect(missing).toEqual([]);
    for (const panel of dashboard.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });
});
