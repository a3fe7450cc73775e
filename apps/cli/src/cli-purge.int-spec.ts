import { randomUUID } from 'node:crypto';
import { MessageLogService } from '@bridge/core';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { assertCliBuilt, runCli } from './testing/cli-process';

const CITIZEN_ID = '001089012345';

describe('bridge purge (PostgreSQL)', () => {
  let db: TestDatabase;
  // Tiny limits: everything older than two seconds is past them.
  const env = () => ({
    DATABASE_URL: db.url,
    BRIDGE_RETAIN_DOSSIER_PERSONAL_DATA: '2s',
    BRIDGE_RETAIN_MESSAGE_BODIES: '2s',
    BRIDGE_RETAIN_INBOX: '2s',
    BRIDGE_RETAIN_PUBLISHED_OUTBOX: 'off',
    BRIDGE_RETAIN_RESOLVED_DEAD_LETTERS: '2s',
  });
  let finished: string;
  let open: string;

  const dossier = async (status: string) => {
    const id = randomUUID();
    const snapshot = {
      id,
      status,
      applicant: {
        kind: 'person',
        fullName: 'Lê Thị Hồng',
        citizenId: CITIZEN_ID,
        phone: '0912345678',
        address: { line: '12 Trần Phú', province: 'Đà Nẵng' },
      },
    };
    await db.dataSource.query(
      `INSERT INTO dossiers (id, agency_code, procedure_code, service_option, status, sequence, snapshot, updated_at)
       VALUES ($1, '000.00.53.H48', '1.001612', 'send', $2, 4, $3, now() - interval '1 hour')`,
      [id, status, JSON.stringify(snapshot)],
    );
    return id;
  };
  const citizenIdOf = async (id: string) =>
    (
      await db.dataSource.query<Array<{ c: string }>>(
        `SELECT snapshot->'applicant'->>'citizenId' AS c FROM dossiers WHERE id = $1`,
        [id],
      )
    )[0].c;

  beforeAll(async () => {
    assertCliBuilt();
    db = await createTestDatabase('cli_purge');
    finished = await dossier('completed');
    open = await dossier('processing');
    await new MessageLogService(db.dataSource).append([
      {
        channel: 'agency',
        direction: 'outbound',
        agencyCode: '000.00.53.H48',
        operation: 'submit',
        body: '{"maHoSo":"H48.1"}',
      },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
  });
  afterAll(() => db?.drop());

  it('says per category what would go and changes nothing on --dry-run, then purges and the audit chain still verifies', async () => {
    const dry = await runCli(['purge', '--dry-run'], { env: env() });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run at .*: nothing changed/);
    expect(dry.stdout).toMatch(
      /dossierPersonalData\s+before \S+\s+1\s+personal fields of finished dossiers masked/,
    );
    expect(dry.stdout).toMatch(/messageBodies\s+before \S+\s+1\s/);
    expect(dry.stdout).toMatch(/publishedOutbox\s+kept for ever\s+0\s/);
    expect(await citizenIdOf(finished)).toBe(CITIZEN_ID);

    const done = await runCli(['purge', '--json'], { env: env() });
    expect(done.code).toBe(0);
    const report = JSON.parse(done.stdout) as {
      dryRun: boolean;
      lines: Array<{ category: string; count: number }>;
    };
    expect(report.dryRun).toBe(false);
    expect(report.lines.find((l) => l.category === 'dossierPersonalData')?.count).toBe(1);
    expect(await citizenIdOf(finished)).toBe('0010********');
    expect(await citizenIdOf(open)).toBe(CITIZEN_ID);

    const verify = await runCli(['audit', 'verify'], { env: env() });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/message log intact: 1 records/);
  });

  it('refuses a limit it cannot read, naming the variable', async () => {
    const bad = await runCli(['purge'], { env: { ...env(), BRIDGE_RETAIN_INBOX: '30 days' } });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/BRIDGE_RETAIN_INBOX must be a duration/);
  });
});
