import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BRIDGE_ENTITIES } from './entities';
import { BRIDGE_MIGRATIONS } from './migrations';

export interface DataSourceOptions {
  /** PostgreSQL URL. A `?options=-c search_path=<schema>` selects a schema (tests use one each). */
  url: string;
  /** Pool size per process. */
  poolSize?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

/** The schema a URL selects through `options=-c search_path=...`, or undefined for `public`. */
export function schemaOf(url: string): string | undefined {
  const options = new URL(url).searchParams.get('options') ?? '';
  const match = /search_path=([A-Za-z_][A-Za-z0-9_]*)/.exec(options);
  return match?.[1];
}

/** Builds (does not connect) the bridge's DataSource. Never `synchronize`: migrations only. */
export function createBridgeDataSource(options: DataSourceOptions): DataSource {
  const schema = schemaOf(options.url);
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema,
    entities: BRIDGE_ENTITIES,
    migrations: BRIDGE_MIGRATIONS,
    migrationsTableName: 'bridge_migrations',
    migrationsRun: false,
    synchronize: false,
    applicationName: options.applicationName ?? 'postal-one-stop-bridge',
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000 },
  });
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, '')) || 'postgres';
  const admin = new URL(url);
  admin.pathname = '/postgres';
  admin.search = '';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (error) {
    // Two processes may race to create it; the loser finds it there.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await client.end();
  }
}

export interface MigrationReport {
  databaseCreated: boolean;
  applied: string[];
}

/**
 * Creates the database if missing, creates the schema if one is selected, and runs pending
 * migrations. Running it again changes nothing.
 */
export async function migrate(url: string): Promise<MigrationReport> {
  const databaseCreated = await ensureDatabase(url);
  const schema = schemaOf(url);
  const dataSource = createBridgeDataSource({ url, poolSize: 2, applicationName: 'bridge-migrate' });
  await dataSource.initialize();
  try {
    if (schema) await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return { databaseCreated, applied: applied.map((m) => m.name) };
  } finally {
    await dataSource.destroy();
  }
}
