import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgencyRegistryService, ADAPTER_FACTORIES, SecretCipher } from '@bridge/core';
import { REST_AGENCY, restAgencyFile, seedRestHistory } from '@bridge/simulator';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { assertCliBuilt, runCli } from './testing/cli-process';

const KEY = 'cli-diff-secret-key-0001';

describe('bridge agencies diff (PostgreSQL)', () => {
  let db: TestDatabase;
  let cwd: string;
  let file: string;
  const env = () => ({ DATABASE_URL: db.url, BRIDGE_SECRET_KEY: KEY });

  beforeAll(async () => {
    assertCliBuilt();
    db = await createTestDatabase('cli_diff');
    cwd = await mkdtemp(join(tmpdir(), 'bridge-diff-'));
    file = restAgencyFile('http://127.0.0.1:1');
    await writeFile(join(cwd, 'haichau.yaml'), file);
    const apply = await runCli(['agencies', 'apply', '-f', 'haichau.yaml'], { cwd, env: env() });
    expect(apply.code).toBe(0);
    const registry = new AgencyRegistryService(db.dataSource, new SecretCipher(KEY), ADAPTER_FACTORIES);
    await seedRestHistory(db.dataSource, (await registry.inForce(REST_AGENCY)).spec, 12);
  });

  afterAll(async () => {
    await db.drop();
    await rm(cwd, { recursive: true, force: true });
  });

  it('prints the counts per mapping and the time, and exits 0 for an unchanged file', async () => {
    const run = await runCli(['agencies', 'diff', '-f', 'haichau.yaml'], { cwd, env: env() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /38 logged message\(s\) since .* replayed in \d+\.\d s; nothing sent, nothing changed/,
    );
    expect(run.stdout).toMatch(/^statusChange\s+14\s+14\s+0\s+0\s+0\s+0$/m);
    expect(run.stdout).toMatch(
      /masked in the message log, compared masked only: .*submitRequest: chuHoSo\.soGiayTo/,
    );
  });

  it('counts the evaluations of a mapping the fast evaluator hands to JSONata in the fallbacks column', async () => {
    await writeFile(
      join(cwd, 'uppercase.yaml'),
      file.replace('"note": ghiChu,', '"note": ghiChu,\n        "loud": $uppercase(ghiChu),'),
    );
    const run = await runCli(['agencies', 'diff', '-f', 'uppercase.yaml'], { cwd, env: env() });
    expect(run.code).toBe(0);
    // Fourteen status changes read the same, each evaluated by JSONata ($uppercase is outside the subset).
    expect(run.stdout).toMatch(/^statusChange\s+14\s+14\s+0\s+0\s+0\s+14$/m);
    expect(run.stdout).toMatch(/^submitResponse\s+12\s+12\s+0\s+0\s+0\s+0$/m);
  });

  it('exits non-zero and names the failing mapping when a vendor field was renamed', async () => {
    await writeFile(
      join(cwd, 'renamed.yaml'),
      file.replace('"agencyDossierCode": maHoSo,', '"agencyDossierCode": soHoSo,'),
    );
    const run = await runCli(['agencies', 'diff', '-f', 'renamed.yaml', '--json'], { cwd, env: env() });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/12 message\(s\) the agency file in force reads now fail with renamed\.yaml/);
    const report = JSON.parse(run.stdout) as {
      failing: boolean;
      mappings: Array<{ mapping: string; counts: Record<string, number> }>;
    };
    expect(report.failing).toBe(true);
    expect(report.mappings.find((m) => m.mapping === 'submitResponse')?.counts.nowFailing).toBe(12);
  });

  it('records golden examples that agencies apply then re-runs, refusing a file that now throws on them', async () => {
    const record = await runCli(['agencies', 'diff', '-f', 'haichau.yaml', '--record-examples'], {
      cwd,
      env: env(),
    });
    expect(record.code).toBe(0);
    const examples = JSON.parse(await readFile(join(cwd, 'haichau.yaml.examples.json'), 'utf8')) as {
      examples: unknown[];
    };
    expect(examples.examples.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(examples)).not.toMatch(/048190001234|0905123456/);
    expect(
      (await runCli(['agencies', 'apply', '-f', 'haichau.yaml', '--dry-run'], { cwd, env: env() })).code,
    ).toBe(0);

    await writeFile(
      join(cwd, 'haichau.yaml'),
      file.replaceAll('"statusCode": trangThai', '"statusCode": tinhTrang'),
    );
    const apply = await runCli(['agencies', 'apply', '-f', 'haichau.yaml'], { cwd, env: env() });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(
      /haichau\.yaml: \$\.adapter\.mappings: golden example #\d+ \(statusChange, inbound callback\) now fails/,
    );
    const [spec] = await db.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM adapter_specs');
    expect(Number(spec.n)).toBe(1);
  });
});
