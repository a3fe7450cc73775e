import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { migrate, ensureDatabase } from './data-source';
import { TEST_DATABASE_URL, createTestDatabase } from '@bridge/testing';

const TABLES = [
  'adapter_specs',
  'agencies',
  'agency_poll_health',
  'api_keys',
  'dead_letters',
  'dossier_timeline',
  'dossiers',
  'filing_leases',
  'inbox',
  'message_log',
  'message_log_staging',
  'ops_history',
  'outbox',
  'parked_events',
  'poll_cursors',
  'status_lookups',
];

async function tablesIn(schema: string): Promise<string[]> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    return rows.map((r) => r.table_name);
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('create every table from an empty schema, and a second run changes nothing', async () => {
    const db = await createTestDatabase('migrate');
    try {
      expect(await tablesIn(db.schema)).toEqual([...TABLES, 'bridge_migrations'].sort());
      const again = await migrate(db.url);
      expect(again).toEqual({ databaseCreated: false, applied: [] });
      expect(await tablesIn(db.schema)).toEqual([...TABLES, 'bridge_migrations'].sort());
    } finally {
      await db.drop();
    }
  });

  it('creates the database when it is missing', async () => {
    const name = `bridge_created_${randomBytes(3).toString('hex')}`;
    const url = TEST_DATABASE_URL.replace(/\/[^/]*$/, `/${name}`);
    try {
      const report = await migrate(url);
      expect(report.databaseCreated).toBe(true);
      expect(report.applied).toEqual([
        'InitialSchema1764000000000',
        'MessageLogStaging1764100000000',
        'OutboxNotifyTrigger1764100000001',
        'MessageLogChainVersion1764200000000',
        'Housekeeping1764300000000',
        'OpsHistory1764400000000',
        'StatusLookups1764500000000',
        'AgencySuccessor1764500000001',
        'FilingLeases1764600000000',
      ]);
      expect(await ensureDatabase(url)).toBe(false);
    } finally {
      const admin = new Client({ connectionString: TEST_DATABASE_URL.replace(/\/[^/]*$/, '/postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it('refuses a second inbox row for the same source and event id', async () => {
    const db = await createTestDatabase('inbox');
    try {
      const insert = () =>
        db.dataSource.query(
          `INSERT INTO inbox (source, event_id, type, content_hash, outcome) VALUES ('post', 'e1', 't', 'h', 'applied')`,
        );
      await insert();
      await expect(insert()).rejects.toThrow(/duplicate key/);
    } finally {
      await db.drop();
    }
  });
});
