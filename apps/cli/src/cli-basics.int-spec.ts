import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from '@bridge/testing';
import { assertCliBuilt, CliRun, REPO_ROOT, runCli } from './testing/cli-process';

const WSDL_DIR = join(REPO_ROOT, 'adapters', 'soap', 'fixtures', 'wsdl');

const EVERY_COMMAND = [
  [],
  ['migrate'],
  ['agencies'],
  ['agencies', 'apply'],
  ['agencies', 'list'],
  ['agencies', 'show'],
  ['agencies', 'test'],
  ['wsdl'],
  ['wsdl', 'import'],
  ['dlq'],
  ['dlq', 'list'],
  ['dlq', 'replay'],
  ['dossier'],
  ['dossier', 'show'],
  ['keys'],
  ['keys', 'create'],
  ['keys', 'list'],
  ['keys', 'revoke'],
  ['audit'],
  ['audit', 'verify'],
  ['secrets'],
  ['secrets', 'rotate'],
];

describe('bridge (command line, no database needed)', () => {
  beforeAll(() => assertCliBuilt());

  it('answers --help for every command with its usage and exit code 0', async () => {
    const runs: CliRun[] = [];
    // A few at a time: each run is a whole Node process loading the bridge.
    for (let i = 0; i < EVERY_COMMAND.length; i += 4) {
      const batch = EVERY_COMMAND.slice(i, i + 4);
      runs.push(
        ...(await Promise.all(batch.map((command) => runCli([...command, '--help'], { timeoutMs: 90_000 })))),
      );
    }
    runs.forEach((run, i) => {
      const name = ['bridge', ...EVERY_COMMAND[i]].join(' ');
      expect({ name, code: run.code }).toEqual({ name, code: 0 });
      expect(run.stdout).toContain(`Usage: ${name}`);
    });
    for (const command of ['migrate', 'agencies', 'wsdl', 'dlq', 'dossier', 'keys', 'audit', 'secrets']) {
      expect(runs[0].stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
  }, 300_000);

  it('refuses an unknown command with a non-zero exit and says where to look', async () => {
    const run = await runCli(['agencys', 'list']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/unknown command 'agencys'/);
    expect(run.stderr).toMatch(/Did you mean agencies\?/);
    expect(run.stderr).toMatch(/bridge --help/);

    const verb = await runCli(['keys', 'rotate']);
    expect(verb.code).toBe(1);
    expect(verb.stderr).toMatch(/unknown command 'keys rotate'; expected one of: create, list, revoke/);
  });

  it('names a missing required option', async () => {
    const run = await runCli(['keys', 'create', '--name', 'ops']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/required option '--role <role>' not specified/);
  });

  it('stops on a bad DATABASE_URL naming the variable, without a stack trace', async () => {
    const run = await runCli(['keys', 'list'], { env: { DATABASE_URL: 'mysql://127.0.0.1/bridge' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/DATABASE_URL must be a postgres or postgresql URL/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('says which PostgreSQL it cannot reach', async () => {
    const run = await runCli(['audit', 'verify'], {
      env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/bridge' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1: connection refused/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  describe('migrate', () => {
    const schema = `cli_migrate_${process.pid}_${Date.now().toString(36)}`;
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

    afterAll(async () => {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });

    it('applies the migrations once, then has nothing to apply', async () => {
      const first = await runCli(['migrate'], { env: { DATABASE_URL: url } });
      expect(first).toMatchObject({ code: 0 });
      expect(first.stdout).toMatch(new RegExp(`applied \\d+ migration\\(s\\) to .*\\(schema ${schema}\\)`));
      expect(first.stdout).toMatch(/InitialSchema/);

      const second = await runCli(['migrate'], { env: { DATABASE_URL: url } });
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/nothing to apply/);

      const keys = await runCli(['keys', 'list'], { env: { DATABASE_URL: url } });
      expect(keys).toMatchObject({ code: 0, stdout: expect.stringMatching(/no API keys/) });
    }, 60_000);
  });

  describe('wsdl import', () => {
    let outDir: string;
    beforeAll(async () => {
      outDir = await mkdtemp(join(tmpdir(), 'bridge-wsdl-'));
    });
    afterAll(() => rm(outDir, { recursive: true, force: true }));

    it('writes the golden agency file for the vendor WSDL to stdout, warnings to stderr', async () => {
      const golden = await readFile(join(WSDL_DIR, 'lien-thong-vendor-a.expected.yaml'), 'utf8');
      const code = /^code: "([^"]+)"/m.exec(golden)![1];
      const name = /^name: "([^"]+)"/m.exec(golden)![1];
      const run = await runCli([
        'wsdl',
        'import',
        join(WSDL_DIR, 'lien-thong-vendor-a.wsdl'),
        '--agency',
        code,
        '--name',
        name,
      ]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(golden);
      expect(run.stderr).toMatch(/warning: the WSDL has several ports/);
      expect(run.stderr).not.toContain('code:');
    });

    it('fetches the WSDL from an http URL and refuses one larger than the limit', async () => {
      const wsdl = await readFile(join(WSDL_DIR, 'lien-thong-vendor-a.wsdl'));
      const golden = await readFile(join(WSDL_DIR, 'lien-thong-vendor-a.expected.yaml'), 'utf8');
      const server = createServer((request, response) => {
        if (request.url === '/LienThong.asmx?wsdl') return void response.end(wsdl);
        if (request.url === '/huge?wsdl') {
          response.write('<definitions>');
          return void response.end(Buffer.alloc(6 * 1024 * 1024, 0x20));
        }
        response.statusCode = 404;
        response.end();
      });
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const agency = ['--agency', '000.00.53.H48', '--name', 'UBND phường Hải Châu'];
        const [ok, huge, missing] = await Promise.all([
          runCli(['wsdl', 'import', `${base}/LienThong.asmx?wsdl`, ...agency]),
          runCli(['wsdl', 'import', `${base}/huge?wsdl`, ...agency]),
          runCli(['wsdl', 'import', `${base}/gone?wsdl`, ...agency]),
        ]);
        expect(ok).toMatchObject({ code: 0, stdout: golden });
        expect(huge.code).toBe(1);
        expect(huge.stderr).toMatch(/huge\?wsdl is larger than 5242880 bytes/);
        expect(missing.code).toBe(1);
        expect(missing.stderr).toMatch(/cannot fetch .*gone\?wsdl: HTTP 404/);
      } finally {
        await new Promise((closed) => server.close(closed));
      }
    }, 60_000);

    it('writes to -o and refuses a missing file', async () => {
      const golden = await readFile(join(WSDL_DIR, 'lien-thong-vendor-a.expected.yaml'), 'utf8');
      const code = /^code: "([^"]+)"/m.exec(golden)![1];
      const name = /^name: "([^"]+)"/m.exec(golden)![1];
      const target = join(outDir, 'agency.yaml');
      const run = await runCli([
        'wsdl',
        'import',
        join(WSDL_DIR, 'lien-thong-vendor-a.wsdl'),
        '--agency',
        code,
        '--name',
        name,
        '-o',
        target,
      ]);
      expect(run).toMatchObject({ code: 0, stdout: '' });
      expect(await readFile(target, 'utf8')).toBe(golden);

      const missing = await runCli(['wsdl', 'import', join(outDir, 'nope.wsdl'), '--agency', code]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/nope\.wsdl: no such file/);
    });
  });
});
