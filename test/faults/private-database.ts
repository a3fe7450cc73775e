import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createBridgeDataSource, migrate } from '@bridge/persistence';
import { TEST_DATABASE_URL } from '@bridge/testing';

/** The application name the bridge's own pool shows in pg_stat_activity. */
const BRIDGE_APPLICATION = 'postal-one-stop-bridge';
/** The application name of the test's own pool, which the terminations spare. */
const OBSERVER_APPLICATION = 'faults-observer';

/**
 * A whole PostgreSQL database of one test's own (not a schema in the shared test database), so
 * terminating "every backend of the bridge in this database" touches no other test's bridge.
 * The test's own pool carries another application name and survives the terminations.
 */
export class PrivateDatabase {
  private constructor(
    readonly name: string,
    readonly url: string,
    readonly dataSource: DataSource,
  ) {}

  static async create(label: string): Promise<PrivateDatabase> {
    const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    url.search = '';
    await migrate(url.toString());
    const dataSource = createBridgeDataSource({
      url: url.toString(),
      poolSize: 4,
      applicationName: OBSERVER_APPLICATION,
    });
    await dataSource.initialize();
    return new PrivateDatabase(name, url.toString(), dataSource);
  }

  /**
   * Terminates every backend the bridge holds in this database, as a failover or an operator's
   * `pg_terminate_backend` would: its pool (application name `postal-one-stop-bridge...`) and
   * any other connection of its own, such as the outbox relay's LISTEN connection. Only this
   * test's observer pool is spared. Returns how many were terminated, and how many of them
   * carried the bridge's application name.
   */
  async terminateBridgeBackends(): Promise<{ terminated: number; named: number }> {
    const rows = await this.dataSource.query<{ application_name: string; killed: boolean }[]>(
      `SELECT application_name, pg_terminate_backend(pid) AS killed FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2`,
      [this.name, OBSERVER_APPLICATION],
    );
    const killed = rows.filter((r) => r.killed);
    return {
      terminated: killed.length,
      named: killed.filter((r) => r.application_name.startsWith(BRIDGE_APPLICATION)).length,
    };
  }

  /** Closes the pool and drops the database, whoever is still connected. */
  async drop(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
}
