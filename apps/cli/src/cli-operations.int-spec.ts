import { randomUUID } from 'node:crypto';
import { AgencyEntity, DeadLetterEntity, OutboxMessageEntity } from '@bridge/persistence';
import { ApiKeyService, DeadLetterService, MessageLogService, PostalIngressService } from '@bridge/core';
import { collectedEvent, createTestDatabase, TestDatabase } from '@bridge/testing';
import { assertCliBuilt, runCli } from './testing/cli-process';

const AGENCY = '000.00.53.H48';

describe('bridge keys / audit / dlq / dossier (PostgreSQL)', () => {
  let db: TestDatabase;
  const env = () => ({ DATABASE_URL: db.url });

  beforeAll(async () => {
    assertCliBuilt();
    db = await createTestDatabase('cli_ops');
    await db.dataSource.getRepository(AgencyEntity).insert({
      code: AGENCY,
      name: 'UBND phường Hải Châu',
      level: 'commune',
      procedures: [{ code: '1.001612', name: 'Đăng ký khai sinh', byPost: true }],
      specVersion: 1,
    });
  });
  afterAll(() => db.drop());

  it('creates a key that authenticates, lists it without its secret, and revokes it', async () => {
    const created = await runCli(['keys', 'create', '--role', 'operator', '--name', 'bàn trực vận hành'], {
      env: env(),
    });
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/shown only this once/);
    const key = /^(pob_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    const service = new ApiKeyService(db.dataSource, { cacheTtlMs: 0 });
    expect(await service.authenticate(key!)).toMatchObject({ role: 'operator', name: 'bàn trực vận hành' });

    const list = await runCli(['keys', 'list'], { env: env() });
    const prefix = /prefix (\S+)\)/.exec(created.stdout)![1];
    expect(list.stdout).toMatch(new RegExp(`${prefix}\\s+operator\\s+bàn trực vận hành`));
    expect(list.stdout).not.toContain(key!);

    const revoked = await runCli(['keys', 'revoke', prefix], { env: env() });
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/revoked API key/);
    expect(await new ApiKeyService(db.dataSource).authenticate(key!)).toBeNull();

    const bad = await runCli(['keys', 'create', '--role', 'superuser', '--name', 'x'], { env: env() });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /invalid role "superuser": expected one of admin, operator, postal, agency:<code>/,
    );
  }, 120_000);

  it('verifies the message log, and names the record somebody changed', async () => {
    const log = new MessageLogService(db.dataSource);
    const written = await log.append(
      ['submit', 'lookup', 'callback'].map((operation) => ({
        channel: 'agency' as const,
        direction: 'outbound' as const,
        agencyCode: AGENCY,
        operation,
        body: `<TraCuuHoSo><MaHoSo>${operation}</MaHoSo></TraCuuHoSo>`,
      })),
    );
    const intact = await runCli(['audit', 'verify'], { env: env() });
    expect(intact).toMatchObject({ code: 0, stdout: 'message log intact: 3 records\n' });

    const victim = written[1].id;
    await db.dataSource.query(
      "UPDATE message_log SET body = replace(body, 'lookup', 'lookuq') WHERE id = $1",
      [victim],
    );
    const broken = await runCli(['audit', 'verify'], { env: env() });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      new RegExp(`message log broken at record ${victim}: stored hash does not match`),
    );
  }, 90_000);

  it('lists dead letters grouped by signature and replays by id and by filter', async () => {
    const letters = new DeadLetterService(db.dataSource);
    const record = (reason: string, errorCode = 'PERMANENT') =>
      letters.recordNow({
        origin: 'delivery',
        agencyCode: AGENCY,
        operation: 'submit-dossier',
        payload: { jobId: `submit-${randomUUID()}`, payload: { dossierId: randomUUID() } },
        errorCode,
        reason,
        attempts: [{ at: new Date().toISOString(), code: errorCode, message: reason }],
      });
    await record('agency answered 400: MaTTHC "1.001612" không hợp lệ');
    await record('agency answered 400: MaTTHC "2.000986" không hợp lệ');
    const auth = await record('agency refused the credentials (401)', 'AUTH');

    const grouped = await runCli(['dlq', 'list', '--json'], { env: env() });
    const groups = JSON.parse(grouped.stdout);
    expect(groups).toEqual([
      expect.objectContaining({
        count: 2,
        agencyCode: AGENCY,
        errorCode: 'PERMANENT',
        signature: 'PERMANENT: agency answered <n>: MaTTHC "…" không hợp lệ',
      }),
      expect.objectContaining({ count: 1, errorCode: 'AUTH', newestId: auth }),
    ]);
    const table = await runCli(['dlq', 'list', '--error-code', 'AUTH'], { env: env() });
    expect(table.stdout).toMatch(new RegExp(`^1\\s+${AGENCY.replace(/\./g, '\\.')}\\s+AUTH`, 'm'));
    expect(table.stdout).not.toMatch(/PERMANENT/);

    const refused = await runCli(['dlq', 'replay'], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to replay without a filter/);

    const one = await runCli(['dlq', 'replay', auth], { env: env() });
    expect(one).toMatchObject({ code: 0, stdout: `replayed dead letter ${auth}\n` });
    const twice = await runCli(['dlq', 'replay', auth], { env: env() });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/is not open/);

    const bySignature = await runCli(
      ['dlq', 'replay', '--agency', AGENCY, '--signature', groups[0].signature],
      { env: env() },
    );
    expect(bySignature).toMatchObject({ code: 0, stdout: 'replayed 2 dead letter(s)\n' });
    const states = await db.dataSource.getRepository(DeadLetterEntity).find();
    expect(states.every((l) => l.state === 'replayed')).toBe(true);
    const jobs = await db.dataSource
      .getRepository(OutboxMessageEntity)
      .findBy({ kind: 'job', topic: 'submit-dossier' });
    expect(jobs).toHaveLength(3);
    expect(jobs.every((j) => j.messageId.endsWith('.replay-1'))).toBe(true);

    const empty = await runCli(['dlq', 'list'], { env: env() });
    expect(empty.stdout).toBe('no open dead letters\n');
  }, 180_000);

  it('shows a dossier found by its postal item id, with its timeline', async () => {
    const event = collectedEvent(AGENCY);
    const itemId = (event.data as { itemId: string }).itemId;
    await new PostalIngressService(db.dataSource).accept(event);

    const run = await runCli(['dossier', 'show', itemId.toLowerCase()], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^status:\s+collected$/m);
    expect(run.stdout).toMatch(new RegExp(`^postal item:\\s+${itemId}$`, 'm'));
    expect(run.stdout).toMatch(/^applicant:\s+Nguyễn Thị Thủy/m);
    expect(run.stdout).not.toContain('048190001234');
    expect(run.stdout).toMatch(/status\s+postal\.dossier\.collected\s+∅ → collected/);

    const missing = await runCli(['dossier', 'show', 'EC000000000VN'], { env: env() });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /no dossier with bridge id, postal item id or agency dossier code "EC000000000VN"/,
    );
  }, 90_000);
});
