import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuditCheckpointPublisher,
  auditKeyFromEnv,
  bodyDigest,
  chainHash,
  ContentColumns,
  contentOfRow,
  GENESIS_HASH,
  LATEST_CHECKPOINT_FILE,
  MessageLogService,
  readLatestCheckpoint,
} from '@bridge/core';
import { EventValidator } from '@bridge/domain';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { assertCliBuilt, runCli } from '../../apps/cli/src/testing/cli-process';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('audit log');
const SECRET = 'audit-hostile-secret-key-0123456789';
const KEY = auditKeyFromEnv({ BRIDGE_SECRET_KEY: SECRET });

type Row = ContentColumns & { id: string; logged_at: Date };
const content = (row: Row) => contentOfRow(row, row.logged_at);

/**
 * Someone with write access to the database (but not the audit key) tampers with the message
 * log: cuts its newest records, rewrites it with plain SHA-256, forges a checkpoint. Each is
 * named by `bridge audit verify`, which checks the chain against the latest signed checkpoint.
 */
describe('hostile audit log', () => {
  let db: TestDatabase;
  let dir: string;
  let log: MessageLogService;
  const verify = () =>
    runCli(['audit', 'verify'], {
      env: { DATABASE_URL: db.url, BRIDGE_SECRET_KEY: SECRET, BRIDGE_AUDIT_CHECKPOINT_DIR: dir },
    });

  beforeAll(async () => {
    assertCliBuilt();
    db = await createTestDatabase('hostile_audit');
    dir = await mkdtemp(join(tmpdir(), 'audit-checkpoints-'));
    // Two records from before the chain was keyed (version 1, plain SHA-256) start the log.
    let prev = GENESIS_HASH;
    for (const operation of ['legacy-1', 'legacy-2']) {
      const row = {
        logged_at: new Date('2025-01-01T00:00:00Z'),
        channel: 'agency',
        direction: 'outbound',
        agency_code: '000.00.53.H48',
        dossier_id: null,
        operation,
        correlation_id: null,
        status: 'ok',
        body: `<MaHoSo>${operation}</MaHoSo>`,
      } as Row;
      const hash = chainHash(prev, content(row));
      await db.dataSource.query(
        `INSERT INTO message_log (logged_at, channel, direction, agency_code, dossier_id, operation, correlation_id, status, body, prev_hash, hash, chain_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)`,
        [
          row.logged_at,
          row.channel,
          row.direction,
          row.agency_code,
          null,
          operation,
          null,
          'ok',
          row.body,
          prev,
          hash,
        ],
      );
      prev = hash;
    }
    log = new MessageLogService(db.dataSource, { chainKey: KEY });
    await log.append(
      Array.from({ length: 48 }, (_, n) => ({
        channel: 'agency' as const,
        direction: 'outbound' as const,
        agencyCode: '000.00.53.H48',
        operation: `submit-${n}`,
        body: `<MaHoSo>H48.${n}</MaHoSo>`,
      })),
    );
    const published = await new AuditCheckpointPublisher(log, db.dataSource, {
      intervalMs: 60_000,
      dir,
    }).publish();
    expect(published).toMatchObject({ records: 50 });
  });

  afterAll(async () => {
    tally.print();
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  /** Runs `attack`, expects verify to refuse naming `reason`, then puts the log back. */
  async function refused(label: string, attack: () => Promise<void>, reason: RegExp): Promise<void> {
    await db.dataSource.query('CREATE TABLE saved_log AS SELECT * FROM message_log');
    await attack();
    try {
      const run = await verify();
      tally.record(label, {
        clean: run.code === 1 && reason.test(run.stderr),
        crashed: run.code !== 0 && run.code !== 1,
      });
      expect({ label, code: run.code, stderr: run.stderr }).toEqual({
        label,
        code: 1,
        stderr: expect.stringMatching(reason),
      });
    } finally {
      await db.dataSource.query('TRUNCATE message_log');
      await db.dataSource.query('INSERT INTO message_log SELECT * FROM saved_log');
      await db.dataSource.query('DROP TABLE saved_log');
    }
  }

  it('publishes the checkpoint as a valid audit.checkpoint event and as a file', async () => {
    const [row] = await db.dataSource.query<Array<{ payload: unknown }>>(
      `SELECT payload FROM outbox WHERE kind = 'event' AND topic = 'audit.checkpoint'`,
    );
    expect(new EventValidator().validateBridgeEvent(row.payload)).toEqual(
      expect.objectContaining({ ok: true }),
    );
    expect(await readLatestCheckpoint(dir)).toEqual((row.payload as { data: unknown }).data);
  });

  it('verifies the untouched log, legacy front included, against the checkpoint', async () => {
    const run = await verify();
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(
      /message log intact: 50 records, the end vouched for by the checkpoint of .* \(record \d+\)/,
    );
  });

  it('names the records cut from the end', async () => {
    const [{ max }] = await db.dataSource.query<Array<{ max: string }>>(
      'SELECT max(id)::text AS max FROM message_log',
    );
    const last = Number(max);
    await refused(
      'newest 10 records deleted',
      async () => void (await db.dataSource.query('DELETE FROM message_log WHERE id > $1', [last - 10])),
      new RegExp(
        `records ${last - 9}–${last} after record ${last - 10} are missing: the checkpoint of \\S+ names record ${last} \\(50 records\\)`,
      ),
    );
    await refused(
      'every record deleted',
      async () => void (await db.dataSource.query('DELETE FROM message_log')),
      new RegExp(`records 1–${last} from the start are missing`),
    );
  });

  async function rewriteWithPlainSha(version: 1 | 2): Promise<void> {
    const rows = await db.dataSource.query<Row[]>('SELECT * FROM message_log ORDER BY id');
    let prev = GENESIS_HASH;
    for (const row of rows) {
      if (row.operation === 'submit-20') row.body = '<MaHoSo>H48.20-sua</MaHoSo>';
      // The attacker keeps each record's body digest in step with its body too.
      if (row.body_sha256) row.body_sha256 = bodyDigest(row.body);
      const hash = chainHash(prev, content(row));
      await db.dataSource.query(
        'UPDATE message_log SET body = $2, prev_hash = $3, hash = $4, chain_version = $5, body_sha256 = $6 WHERE id = $1',
        [row.id, row.body, prev, hash, version, row.body_sha256],
      );
      prev = hash;
    }
  }

  it('refuses a log recomputed with plain SHA-256', async () => {
    await refused(
      'one body changed, chain recomputed with SHA-256',
      () => rewriteWithPlainSha(2),
      /stored hash does not match the record's content/,
    );
    await refused(
      'chain recomputed with SHA-256 and marked legacy',
      () => rewriteWithPlainSha(1),
      /differs from the checkpoint of .* \(the log was rewritten\)/,
    );
  });

  it('refuses a forged checkpoint', async () => {
    const real = await readLatestCheckpoint(dir);
    await refused(
      'checkpoint rewritten to an earlier end',
      async () => {
        await db.dataSource.query('DELETE FROM message_log WHERE id > $1', [Number(real!.lastId) - 5]);
        await writeFile(
          join(dir, LATEST_CHECKPOINT_FILE),
          JSON.stringify({ ...real, lastId: String(Number(real!.lastId) - 5), records: 45 }),
        );
      },
      /is not signed with this audit key/,
    );
    await writeFile(join(dir, LATEST_CHECKPOINT_FILE), JSON.stringify(real));
  });
});
