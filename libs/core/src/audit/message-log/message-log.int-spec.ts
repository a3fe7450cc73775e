import { randomUUID } from 'node:crypto';
import { createBridgeDataSource } from '@bridge/persistence';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { CorrelationContext } from '../../logging';
import { GENESIS_HASH } from './message-log-chain';
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
    expect(await log.verify()).toEqual({ ok: true, records: 3 });
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
    });
  });

  it('notices a record removed from the middle of the chain', async () => {
    const log = new MessageLogService(db.dataSource);
    const appended = await log.append([entry('a', '1'), entry('b', '2'), entry('c', '3')]);
    await db.dataSource.query('DELETE FROM message_log WHERE id = $1', [appended[1].id]);
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, records: 1, firstBrokenId: appended[2].id });
  });

  it('keeps one valid chain while two processes append at the same time', async () => {
    const other = createBridgeDataSource({ url: db.url, poolSize: 5 });
    await other.initialize();
    try {
      const logs = [new MessageLogService(db.dataSource), new MessageLogService(other)];
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          logs[i % 2].append(
            Array.from({ length: (i % 3) + 1 }, (_, j) => entry(`op-${i}-${j}`, `{"n":${i * 10 + j}}`)),
          ),
        ),
      );
      expect(await logs[1].verify()).toEqual({ ok: true, records: 60 });
    } finally {
      await other.destroy();
    }
  });

  it('stores bodies with passwords and tokens removed and citizen ids masked', async () => {
    const log = new MessageLogService(db.dataSource);
    const body =
      '<soap:Header><wsse:Password>MatKhau#2025</wsse:Password></soap:Header>' +
      '<NguoiNop><SoCCCD>001089012345</SoCCCD></NguoiNop><access_token>eyJraWQiOi.x.y</access_token>';
    await log.append([entry('submit', body)]);
    const [stored] = await log.search({ agencyCode: AGENCY });
    expect(stored.body).not.toMatch(/MatKhau#2025|eyJraWQiOi|001089012345/);
    expect(stored.body).toContain('<SoCCCD>0010********</SoCCCD>');
    expect(stored.body).toContain('<wsse:Password>[REDACTED]</wsse:Password>');
    expect(await log.verify()).toEqual({ ok: true, records: 1 });
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
    expect(await log.verify()).toEqual({ ok: true, records: 1 });
  });

  it('prunes old records behind an anchor so the rest still verifies, and still catches a later deletion', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    const log = new MessageLogService(db.dataSource, { now: () => now });
    await log.append([entry('old-1', '1'), entry('old-2', '2')]);
    now = new Date('2025-01-01T00:00:00Z');
    const recent = await log.append([entry('new-1', '3'), entry('new-2', '4')]);

    expect(await log.prune(new Date('2024-06-01T00:00:00Z'))).toMatchObject({ deleted: 2 });
    await log.append([entry('new-3', '5')]);
    expect(await log.verify()).toEqual({ ok: true, records: 4 });
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
    expect(await log.verify()).toEqual({ ok: true, records: 2 });
  });

  it('refuses an entry that names a wrong channel, with its position', async () => {
    const log = new MessageLogService(db.dataSource);
    await expect(
      log.append([entry('a', '1'), { ...entry('b', '2'), channel: 'fax' as 'postal' }]),
    ).rejects.toThrow('message log entry 1: channel must be "postal" or "agency", got "fax"');
    expect(await log.search()).toEqual([]);
  });
});
