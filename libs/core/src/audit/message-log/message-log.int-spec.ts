import { randomUUID } from 'node:crypto';
import { createBridgeDataSource } from '@bridge/persistence';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { CorrelationContext } from '../../logging';
import { GENESIS_HASH } from './message-log-chain';
import { MessageLogChainer } from './message-log-chainer';
import { MessageLogInput, MessageLogService } from './message-log.service';

const AGENCY = '000.00.00.H26';

function entry(operation: string, body: string, extra: Partial<MessageLogInput> = {}): MessageLogInput {
  return { channel: 'agency', direction: 'outbound', agencyCode: AGENCY, operation, body, ...extra };
}

describe('MessageLogService against PostgreSQL', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase('msglog');
  });

  afterEach(async () => {
    await db.drop();
  });

  it('appends a linked chain that verifies', async () => {
    const log = new MessageLogService(db.dataSource);
    const first = await log.append([
      entry('submit', '<NopHoSo><MaHoSo>H26.1</MaHoSo></NopHoSo>'),
      entry('lookup', '{"maHoSo":"H26.1"}'),
    ]);
    await log.append([
      entry('callback', '{"trangThai":"DA_TIEP_NHAN"}', { direction: 'inbound', status: '200' }),
    ]);
    expect(await log.verify()).toEqual({ ok: true, records: 3, staged: 0 });
    const stored = (await log.search({ agencyCode: AGENCY })).reverse();
    expect(stored.map((r) => r.operation)).toEqual(['submit', 'lookup', 'callback']);
    expect(stored[0].prevHash).toBe(GENESIS_HASH);
    expect(stored[1].prevHash).toBe(stored[0].hash);
    expect(stored[2].prevHash).toBe(stored[1].hash);
    expect(first.map((r) => r.id)).toEqual([stored[0].id, stored[1].id]);
  });

  it('names exactly the record whose body was changed by one byte', async () => {
    const log = new MessageLogService(db.dataSource, { verifyBatchSize: 2 });
    const appended = await log.append(
      Array.from({ length: 5 }, (_, i) => entry('submit', `{"maHoSo":"H26.${i}","phi":50000}`)),
    );
    const target = appended[3].id;
    await db.dataSource.query(`UPDATE message_log SET body = replace(body, '50000', '50001') WHERE id = $1`, [
      target,
    ]);
    expect(await log.verify()).toEqual({
      ok: false,
      records: 3,
      firstBrokenId: target,
      reason: "stored hash does not match the record's content",
      staged: 0,
    });
  });

  it('notices a record removed from the middle of the chain', async () => {
    const log = new MessageLogService(db.dataSource);
    const appended = await log.append([entry('a', '1'), entry('b', '2'), entry('c', '3')]);
    await db.dataSource.query('DELETE FROM message_log WHERE id = $1', [appended[1].id]);
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, records: 1, firstBrokenId: appended[2].id });
  });

  it('keeps one valid chain while two processes stage, chain and append at the same time', async () => {
    const other = createBridgeDataSource({ url: db.url, poolSize: 5 });
    await other.initialize();
    try {
      const sources = [db.dataSource, other];
      const logs = [new MessageLogService(db.dataSource), new MessageLogService(other)];
      const chainers = logs.map((log) => new MessageLogChainer(log, { batchSize: 7, idleMs: 5 }));
      chainers.forEach((c) => c.start());
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          const batch = Array.from({ length: (i % 3) + 1 }, (_, j) =>
            entry(`op-${i}-${j}`, `{"n":${i * 10 + j}}`),
          );
          // Two thirds staged by business transactions, a third chained at once.
          return i % 3 === 2
            ? logs[i % 2].append(batch)
            : sources[i % 2].transaction((manager) => logs[i % 2].append(batch, manager));
        }),
      );
      await Promise.all(chainers.map((c) => c.stop()));
      expect(await logs[1].verify()).toEqual({ ok: true, records: 60, staged: 0 });
      const operations = (await logs[0].search({ limit: 1000 })).map((r) => r.operation);
      expect(new Set(operations).size).toBe(60);
    } finally {
      await other.destroy();
    }
  });

  it('shows staged entries in search at once, chains them in batches and verifies them', async () => {
    const log = new MessageLogService(db.dataSource);
    const dossierId = randomUUID();
    const staged = await db.dataSource.transaction((manager) =>
      log.append(
        [entry('submit', 'a', { dossierId }), entry('lookup', 'b', { dossierId }), entry('callback', 'c')],
        manager,
      ),
    );
    expect(staged.map((s) => [s.chained, s.hash])).toEqual([
      [false, null],
      [false, null],
      [false, null],
    ]);
    const before = await log.search({ dossierId });
    expect(before.map((r) => [r.body, r.chained, r.hash])).toEqual([
      ['b', false, null],
      ['a', false, null],
    ]);
    expect(await log.verify()).toEqual({ ok: true, records: 0, staged: 3 });

    expect(await log.chainPending(2)).toBe(2);
    expect(await log.chainPending(2)).toBe(1);
    expect(await log.chainPending()).toBe(0);
    const after = await log.search({ dossierId });
    expect(after.map((r) => [r.body, r.chained])).toEqual([
      ['b', true],
      ['a', true],
    ]);
    expect(after[1].prevHash).toBe(GENESIS_HASH);
    expect(after[0].prevHash).toBe(after[1].hash);
    expect(await log.verify()).toEqual({ ok: true, records: 3, staged: 0 });

    await db.dataSource.query(`UPDATE message_log SET body = 'B' WHERE id = $1`, [after[0].id]);
    expect(await log.verify()).toMatchObject({ ok: false, records: 1, firstBrokenId: after[0].id });
  });

  it('stores bodies with passwords and tokens removed and citizen ids masked', async () => {
    const log = new MessageLogService(db.dataSource);
    const body =
      '<soap:Header><wsse:Password>MatKhau#2025</wsse:Password></soap:Header>' +
      '<NguoiNop><SoCCCD>001089012345</SoCCCD></NguoiNop><access_token>eyJraWQiOi.x.y</access_token>';
    await log.append([entry('submit', body)]);
    await db.dataSource.transaction((manager) => log.append([entry('lookup', body)], manager));
    const [staged] = await db.dataSource.query<Array<{ body: string }>>(
      'SELECT body FROM message_log_staging',
    );
    expect(staged.body).not.toMatch(/MatKhau#2025|eyJraWQiOi|001089012345/);
    await log.chainPending();
    const stored = await log.search({ agencyCode: AGENCY });
    expect(stored.map((r) => r.operation)).toEqual(['lookup', 'submit']);
    for (const record of stored) {
      expect(record.body).not.toMatch(/MatKhau#2025|eyJraWQiOi|001089012345/);
      expect(record.body).toContain('<SoCCCD>0010********</SoCCCD>');
      expect(record.body).toContain('<wsse:Password>[REDACTED]</wsse:Password>');
    }
    expect(await log.verify()).toEqual({ ok: true, records: 2, staged: 0 });
  });

  it('searches by dossier, agency and correlation id, taking the correlation id from the context', async () => {
    const log = new MessageLogService(db.dataSource);
    const dossierId = randomUUID();
    await CorrelationContext.run('corr-1', () =>
      log.append([
        entry('submit', 'a', { dossierId }),
        entry('submit', 'b', { agencyCode: '000.00.00.H79' }),
      ]),
    );
    await log.append([entry('lookup', 'c', { dossierId, correlationId: 'corr-2' })]);
    expect((await log.search({ dossierId })).map((r) => r.body)).toEqual(['c', 'a']);
    expect((await log.search({ correlationId: 'corr-1' })).map((r) => r.body)).toEqual(['b', 'a']);
    expect((await log.search({ agencyCode: '000.00.00.H79' })).map((r) => r.body)).toEqual(['b']);
    expect((await log.search({ dossierId, limit: 1 })).map((r) => r.body)).toEqual(['c']);
    await expect(log.search({ dossierId: 'EA123456785VN' })).rejects.toThrow(/dossierId must be a UUID/);
  });

  it("commits with the caller's transaction and leaves nothing when it rolls back", async () => {
    const log = new MessageLogService(db.dataSource);
    await db.dataSource
      .transaction(async (manager) => {
        await log.append([entry('submit', 'rolled back')], manager);
        throw new Error('state change failed');
      })
      .catch(() => undefined);
    await db.dataSource.transaction((manager) => log.append([entry('submit', 'committed')], manager));
    expect((await log.search()).map((r) => r.body)).toEqual(['committed']);
    expect(await log.chainPending()).toBe(1);
    expect(await log.verify()).toEqual({ ok: true, records: 1, staged: 0 });
  });

  it('prunes old records behind an anchor so the rest still verifies, and still catches a later deletion', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    const log = new MessageLogService(db.dataSource, { now: () => now });
    await log.append([entry('old-1', '1'), entry('old-2', '2')]);
    now = new Date('2025-01-01T00:00:00Z');
    const recent = await log.append([entry('new-1', '3'), entry('new-2', '4')]);

    expect(await log.prune(new Date('2024-06-01T00:00:00Z'))).toMatchObject({ deleted: 2 });
    await log.append([entry('new-3', '5')]);
    expect(await log.verify()).toEqual({ ok: true, records: 4, staged: 0 });
    expect((await log.search()).map((r) => r.operation)).toEqual([
      'new-3',
      'retention.anchor',
      'new-2',
      'new-1',
    ]);
    expect(await log.prune(new Date('2024-06-01T00:00:00Z'))).toEqual({ deleted: 0, anchorId: null });

    await db.dataSource.query('DELETE FROM message_log WHERE id = $1', [recent[0].id]);
    expect(await log.verify()).toMatchObject({ ok: false, records: 0, firstBrokenId: recent[1].id });
  });

  it('verifies after pruning everything', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    const log = new MessageLogService(db.dataSource, { now: () => now });
    await log.append([entry('old', '1')]);
    now = new Date('2025-01-01T00:00:00Z');
    expect(await log.prune(now)).toMatchObject({ deleted: 1 });
    await log.append([entry('next', '2')]);
    expect(await log.verify()).toEqual({ ok: true, records: 2, staged: 0 });
  });

  it('refuses an entry that names a wrong channel, with its position', async () => {
    const log = new MessageLogService(db.dataSource);
    await expect(
      log.append([entry('a', '1'), { ...entry('b', '2'), channel: 'fax' as 'postal' }]),
    ).rejects.toThrow('message log entry 1: channel must be "postal", "agency" or "operator", got "fax"');
    expect(await log.search()).toEqual([]);
  });
});
