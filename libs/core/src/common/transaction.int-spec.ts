import { createBridgeDataSource } from '@bridge/persistence';
import { TEST_DATABASE_URL, waitFor } from '@bridge/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { classifyFailure } from '../ingress/failure-kind';
import { inTransaction } from './transaction';

describe('inTransaction when the connection dies between two statements', () => {
  let dataSource: DataSource;
  let admin: Client;

  beforeAll(async () => {
    dataSource = createBridgeDataSource({ url: TEST_DATABASE_URL, poolSize: 2 });
    await dataSource.initialize();
    admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
    await dataSource.destroy();
  });

  it('fails as the database being away, not as a bug', async () => {
    const failure = await inTransaction(dataSource, async (manager) => {
      const [{ pid }] = await manager.query<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1, 5000)', [pid]);
      // The socket closes while no statement is running, and TypeORM gives the client back at
      // once: the next statement finds the runner released, the case this test is about.
      await waitFor(() => manager.queryRunner?.isReleased === true, 'TypeORM to release the runner', 5_000);
      await manager.query('SELECT 1');
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(classifyFailure(failure)).toMatchObject({ kind: 'unavailable' });
  });
});
