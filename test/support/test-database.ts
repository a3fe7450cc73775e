import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createBridgeDataSource, migrate } from '@bridge/persistence';

/** The database every integration test shares; each test gets its own schema in it. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bridge_test';

export interface TestDatabase {
  /** URL selecting the test's own schema; give it to spawned processes as DATABASE_URL. */
  url: string;
  schema: string;
  dataSource: DataSource;
  drop(): Promise<void>;
}

/** A fresh schema with every migration applied, dropped again by `drop()`. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const schema = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  await migrate(url);
  const dataSource = createBridgeDataSource({ url, poolSize: 5 });
  await dataSource.initialize();
  return {
    url,
    schema,
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
