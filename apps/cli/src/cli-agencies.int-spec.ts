import { copyFile, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgencyEntity, AdapterSpecEntity } from '@bridge/persistence';
import { SecretCipher } from '@bridge/core';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { assertCliBuilt, REPO_ROOT, runCli } from './testing/cli-process';

const CURRENT_KEY = 'cli-test-secret-key-0001';
const SOAP_PASSWORD = 'Mk-HaiChau-2025!';

/** Agency files in a scratch directory (outside the repository), also the CLI's working directory. */
async function agencyDirectory(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'bridge-agencies-'));
  const dir = join(root, 'agencies', 'danang');
  await mkdir(dir, { recursive: true });
  await copyFile(
    join(REPO_ROOT, 'libs/core/src/agencies/fixtures/valid/000.00.00.H48.yaml'),
    join(dir, '000.00.00.H48.yaml'),
  );
  const soap = await readFile(join(REPO_ROOT, 'adapters/soap/fixtures/agency.example.yaml'), 'utf8');
  // Nothing listens on port 1: the live check must report the agency unreachable.
  const local = soap
    .replace(/^(\s+endpoint:\s*).*$/m, '$1"http://127.0.0.1:1/LienThong.asmx"')
    .replace(/^(\s+password:\s*).*$/m, '$1"${env:BRIDGE_AGENCY_HAICHAU_SOAP_PASSWORD}"');
  await writeFile(join(dir, '000.00.53.H48.yaml'), local);
  await copyFile(
    join(REPO_ROOT, 'libs/core/src/agencies/fixtures/broken/bad-codes.yaml'),
    join(dir, 'bad-codes.yaml'),
  );
  return root;
}

describe('bridge agencies / secrets (PostgreSQL)', () => {
  let db: TestDatabase;
  let cwd: string;
  const env = () => ({
    DATABASE_URL: db.url,
    BRIDGE_SECRET_KEY: CURRENT_KEY,
    BRIDGE_AGENCY_HAICHAU_SOAP_PASSWORD: SOAP_PASSWORD,
  });

  beforeAll(async () => {
    assertCliBuilt();
    db = await createTestDatabase('cli_agencies');
    cwd = await agencyDirectory();
  });
  afterAll(async () => {
    await db.drop();
    await rm(cwd, { recursive: true, force: true });
  });

  it('refuses a directory with a broken file, listing its problems, and stores nothing', async () => {
    const run = await runCli(['agencies', 'apply', '-f', 'agencies'], { cwd, env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^agencies\/danang\/bad-codes\.yaml: \$\.code: agency code "H48-02" does not follow/m,
    );
    expect(run.stderr).toMatch(
      /^agencies\/danang\/bad-codes\.yaml: \$\.procedures\[1\]\.code: procedure code "1\.0099"/m,
    );
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(await db.dataSource.getRepository(AgencyEntity).count()).toBe(0);
  }, 90_000);

  it('reads the directory its operator names, wherever it is, as `npm run bridge` runs it', async () => {
    await unlink(join(cwd, 'agencies/danang/bad-codes.yaml'));
    // By absolute path from the repository (npm's working directory), like -f /etc/bridge/agencies.
    const absolute = await runCli(['agencies', 'apply', '-f', join(cwd, 'agencies'), '--dry-run'], {
      cwd: REPO_ROOT,
      env: env(),
    });
    expect(absolute).toMatchObject({ code: 0, stdout: expect.stringMatching(/2 agency file\(s\) valid/) });
    // By a path relative to where the operator typed `npm run bridge` (npm keeps it in INIT_CWD).
    const relative = await runCli(['agencies', 'apply', '-f', 'agencies/danang', '--dry-run'], {
      cwd: REPO_ROOT,
      env: { ...env(), npm_lifecycle_event: 'bridge', INIT_CWD: cwd },
    });
    expect(relative).toMatchObject({ code: 0, stdout: expect.stringMatching(/2 agency file\(s\) valid/) });
  }, 90_000);

  it('applies the fixed directory, then reports every agency unchanged', async () => {
    const dry = await runCli(['agencies', 'apply', '-f', 'agencies', '--dry-run'], { cwd, env: env() });
    expect(dry).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/2 agency file\(s\) valid; nothing applied/),
    });
    expect(await db.dataSource.getRepository(AgencyEntity).count()).toBe(0);

    const first = await runCli(['agencies', 'apply', '-f', 'agencies'], { cwd, env: env() });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^000\.00\.00\.H48\s+created\s+-/m);
    expect(first.stdout).toMatch(
      /^000\.00\.53\.H48\s+created\s+1\s+agencies\/danang\/000\.00\.53\.H48\.yaml/m,
    );
    const again = await runCli(['agencies', 'apply', '-f', 'agencies', '--json'], { cwd, env: env() });
    expect(JSON.parse(again.stdout)).toEqual([
      expect.objectContaining({ code: '000.00.00.H48', action: 'unchanged' }),
      expect.objectContaining({ code: '000.00.53.H48', action: 'unchanged', version: 1 }),
    ]);
  }, 120_000);

  it('lists and shows agencies without ever printing a secret', async () => {
    const [list, show, json] = await Promise.all([
      runCli(['agencies', 'list'], { env: env() }),
      runCli(['agencies', 'show', '000.00.53.H48'], { env: env() }),
      runCli(['agencies', 'show', '000.00.53.H48', '--json'], { env: env() }),
    ]);
    expect(list.stdout).toMatch(
      /^000\.00\.53\.H48\s+UBND phường Hải Châu\s+commune\s+000\.00\.00\.H48\s+soap\s+1\s+active/m,
    );
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/password: "\*{8}"/);
    expect(JSON.parse(json.stdout).spec.auth.password).toBe('********');
    for (const run of [list, show, json]) {
      expect(run.stdout).not.toContain(SOAP_PASSWORD);
      expect(run.stdout).not.toContain('enc:v1:');
    }
    const unknown = await runCli(['agencies', 'show', '000.00.99.H48'], { env: env() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/agency 000\.00\.99\.H48 is not registered/);
  }, 90_000);

  it('tests an agency live and fails when its endpoint cannot be reached', async () => {
    const run = await runCli(['agencies', 'test', '000.00.53.H48'], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/read-only checks against http:\/\/127\.0\.0\.1:1\/LienThong\.asmx/);
    expect(run.stdout).toMatch(/health probe answers\s+failed/);
    expect(run.stdout).toMatch(/skipped\s+\d+\s+dry run/);
    expect(run.stderr).toMatch(/agency 000\.00\.53\.H48: \d+ check\(s\) failed/);
  }, 90_000);

  it('re-encrypts every stored credential with the new key in one go', async () => {
    const newKey = 'cli-test-secret-key-0002';
    const run = await runCli(['secrets', 'rotate', '--new-key-env', 'NEXT_BRIDGE_KEY'], {
      env: { ...env(), NEXT_BRIDGE_KEY: newKey },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/re-encrypted 1 secret value\(s\) in 1 adapter spec version\(s\)/);
    const spec = await db.dataSource
      .getRepository(AdapterSpecEntity)
      .findOneByOrFail({ agencyCode: '000.00.53.H48' });
    const stored = (spec.spec as { auth: { password: string } }).auth.password;
    expect(new SecretCipher(newKey).decrypt(stored)).toBe(SOAP_PASSWORD);
    expect(() => new SecretCipher(CURRENT_KEY).decrypt(stored)).toThrow();

    // Run again with the old key still configured: refused, and nothing changes.
    const again = await runCli(['secrets', 'rotate', '--new-key-env', 'NEXT_BRIDGE_KEY'], {
      env: { ...env(), NEXT_BRIDGE_KEY: 'cli-test-secret-key-0003' },
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /000\.00\.53\.H48 version 1: secret cannot be decrypted with the current BRIDGE_SECRET_KEY/,
    );
    const after = await db.dataSource
      .getRepository(AdapterSpecEntity)
      .findOneByOrFail({ agencyCode: '000.00.53.H48' });
    expect((after.spec as { auth: { password: string } }).auth.password).toBe(stored);

    // With the new key in place the registry reads the files as unchanged.
    const applied = await runCli(['agencies', 'apply', '-f', 'agencies'], {
      cwd,
      env: { ...env(), BRIDGE_SECRET_KEY: newKey },
    });
    expect(applied.stdout).toMatch(/^000\.00\.53\.H48\s+unchanged\s+1/m);
  }, 120_000);
});
