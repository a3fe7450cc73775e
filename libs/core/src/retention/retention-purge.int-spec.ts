import { randomUUID } from 'node:crypto';
import type { RetentionPeriods } from '@bridge/config';
import { Dossier } from '@bridge/domain';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { chainHash, GENESIS_HASH } from '../audit/message-log/message-log-chain';
import { MessageLogService } from '../audit/message-log/message-log.service';
import { RetentionPurge } from './retention-purge';

const DAY = 86_400_000;
const AGENCY = '000.00.53.H48';
const CITIZEN_ID = '001089012345';
const PHONE = '0912345678';
const STREET = '12 Trần Phú';
const RETENTION: RetentionPeriods = {
  dossierPersonalData: DAY,
  messageBodies: DAY,
  inbox: DAY,
  publishedOutbox: DAY,
  resolvedDeadLetters: DAY,
};

function snapshot(id: string, status: string): Dossier {
  return {
    id,
    agencyCode: AGENCY,
    procedureCode: '1.001612',
    serviceOption: 'both',
    applicant: {
      kind: 'person',
      fullName: 'Lê Thị Hồng',
      citizenId: CITIZEN_ID,
      phone: PHONE,
      email: 'hong@example.vn',
      address: { line: STREET, commune: 'Phường Hải Châu', province: 'Đà Nẵng' },
    },
    returnAddress: { line: STREET, province: 'Đà Nẵng' },
    documents: [],
    fees: [],
    status: status as Dossier['status'],
    sequence: 5,
    timestamps: {},
  };
}

describe('retention purge (PostgreSQL)', () => {
  let db: TestDatabase;
  let log: MessageLogService;

  beforeAll(async () => {
    db = await createTestDatabase('retention');
    log = new MessageLogService(db.dataSource);
  });
  afterAll(() => db.drop());

  async function dossier(status: string, updatedAt: Date): Promise<string> {
    const id = randomUUID();
    await db.dataSource.query(
      `INSERT INTO dossiers (id, agency_code, procedure_code, service_option, status, sequence, snapshot, updated_at)
       VALUES ($1, $2, '1.001612', 'both', $3, 5, $4, $5)`,
      [id, AGENCY, status, JSON.stringify(snapshot(id, status)), updatedAt],
    );
    return id;
  }
  const snapshotOf = async (id: string) =>
    (
      await db.dataSource.query<Array<{ snapshot: Dossier }>>('SELECT snapshot FROM dossiers WHERE id = $1', [
        id,
      ])
    )[0].snapshot;

  async function rows(at: Date, tag: string): Promise<void> {
    await db.dataSource.query(
      `INSERT INTO inbox (source, event_id, type, content_hash, outcome, received_at) VALUES ('post', $1, 't', 'h', 'applied', $2)`,
      [`${tag}-in`, at],
    );
    await db.dataSource.query(
      `INSERT INTO outbox (kind, topic, message_id, payload, published_at) VALUES
         ('event', 'dossier.completed', $1, '{"phone":"${PHONE}"}', $2),
         ('event', 'dossier.completed', $3, '{}', NULL)`,
      [`${tag}-published`, at, `${tag}-pending`],
    );
    await db.dataSource.query(
      `INSERT INTO dead_letters (origin, operation, payload, error_code, error_signature, reason, state, resolved_at, created_at)
       VALUES ('delivery', 'submit-dossier', '{}', 'PERMANENT', 's', 'r', 'discarded', $1, $1),
              ('delivery', 'submit-dossier', '{}', 'PERMANENT', 's', 'r', 'open', NULL, $1)`,
      [at],
    );
  }

  const counts = async () =>
    (
      await db.dataSource.query<Array<Record<string, number>>>(
        `SELECT (SELECT count(*)::int FROM inbox) AS inbox,
                (SELECT count(*)::int FROM outbox WHERE published_at IS NOT NULL) AS published,
                (SELECT count(*)::int FROM outbox WHERE published_at IS NULL) AS pending,
                (SELECT count(*)::int FROM dead_letters WHERE state = 'open') AS open,
                (SELECT count(*)::int FROM dead_letters WHERE state <> 'open') AS resolved,
                (SELECT count(*)::int FROM message_log WHERE body <> '') AS bodies`,
      )
    )[0];

  it('masks finished dossiers and removes old rows past their limit, keeps the rest, and the audit chain verifies', async () => {
    // A record from before bodies had digests: the chain covers its body, so it can only go whole.
    const legacy = {
      loggedAt: new Date(Date.now() - 3 * DAY),
      channel: 'agency',
      direction: 'outbound',
      agencyCode: AGENCY,
      dossierId: null,
      operation: 'submit',
      correlationId: null,
      status: null,
      body: `{"soCCCD":"${CITIZEN_ID}"}`,
    };
    await db.dataSource.query(
      `INSERT INTO message_log (logged_at, channel, direction, agency_code, operation, body, prev_hash, hash)
       VALUES ($1, 'agency', 'outbound', $2, 'submit', $3, $4, $5)`,
      [legacy.loggedAt, AGENCY, legacy.body, GENESIS_HASH, chainHash(GENESIS_HASH, legacy)],
    );
    await log.append([
      {
        channel: 'agency',
        direction: 'outbound',
        agencyCode: AGENCY,
        operation: 'submit',
        body: `{"phone":"${PHONE}"}`,
      },
      {
        channel: 'agency',
        direction: 'inbound',
        agencyCode: AGENCY,
        operation: 'submit',
        body: '{"ok":true}',
      },
    ]);
    const old = new Date(Date.now() - 2 * DAY);
    const finishedLongAgo = await dossier('completed', old);
    const openLongAgo = await dossier('processing', old);
    await rows(old, 'old');

    // The purge's clock: a day after this moment, so everything above is past the limit.
    const cut = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const finishedToday = await dossier('rejected', new Date());
    await rows(new Date(), 'new');
    await log.append([
      {
        channel: 'agency',
        direction: 'outbound',
        agencyCode: AGENCY,
        operation: 'lookup',
        body: '{"maHoSo":"H48.1"}',
      },
    ]);
    const now = new Date(cut.getTime() + DAY);
    const purge = new RetentionPurge(db.dataSource, RETENTION);

    const before = await counts();
    const dry = await purge.run({ dryRun: true, now });
    expect(Object.fromEntries(dry.lines.map((l) => [l.category, l.count]))).toEqual({
      dossierPersonalData: 1,
      messageBodies: 3,
      inbox: 1,
      publishedOutbox: 1,
      resolvedDeadLetters: 1,
    });
    // A dry run changes nothing.
    expect(await counts()).toEqual(before);
    expect(await snapshotOf(finishedLongAgo)).toEqual(snapshot(finishedLongAgo, 'completed'));

    const done = await purge.run({ dryRun: false, now });
    expect(done.lines.map((l) => l.count)).toEqual(dry.lines.map((l) => l.count));

    const masked = await snapshotOf(finishedLongAgo);
    const text = JSON.stringify(masked);
    expect(text).not.toContain(CITIZEN_ID);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(STREET);
    expect(text).not.toContain('hong@');
    expect(masked).toMatchObject({
      status: 'completed',
      applicant: {
        citizenId: '0010********',
        phone: '09******78',
        fullName: 'L. T. H.',
        address: { line: '***' },
      },
    });
    // Open dossiers and recently finished ones are untouched.
    expect(await snapshotOf(openLongAgo)).toEqual(snapshot(openLongAgo, 'processing'));
    expect(await snapshotOf(finishedToday)).toEqual(snapshot(finishedToday, 'rejected'));

    expect(await counts()).toEqual({
      inbox: before.inbox - 1,
      published: before.published - 1,
      pending: before.pending,
      open: before.open,
      resolved: before.resolved - 1,
      // the two digest records blanked, the legacy one gone; the anchor and the recent record keep theirs
      bodies: before.bodies - 3 + 1,
    });
    const bodies = await db.dataSource.query<Array<{ body: string }>>(
      'SELECT body FROM message_log ORDER BY id',
    );
    expect(bodies.map((b) => b.body).join()).not.toContain(CITIZEN_ID);
    expect(bodies.some((b) => b.body.includes('{"maHoSo":"H48.1"}'))).toBe(true);

    // The chain still proves every remaining record, purged bodies included...
    expect(await log.verify()).toMatchObject({ ok: true, records: 4 });
    // ...and still catches a change to a kept body.
    await db.dataSource.query(`UPDATE message_log SET body = '{"tel":"0"}' WHERE operation = 'lookup'`);
    expect(await log.verify()).toMatchObject({
      ok: false,
      reason: "stored hash does not match the record's content",
    });
    await db.dataSource.query(`UPDATE message_log SET body = $1 WHERE operation = 'lookup'`, [
      '{"maHoSo":"H48.1"}',
    ]);

    // A second purge finds nothing left to do.
    expect((await purge.run({ dryRun: false, now })).lines.map((l) => l.count)).toEqual([0, 0, 0, 0, 0]);
  });
});
