import { randomUUID } from 'node:crypto';
import { ComeBackLaterError } from '@bridge/queues';
import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { runSideWrite } from '../common/side-write';
import { FilingLease } from './filing-lease';

describe('filing lease (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('filing_lease');
  });
  afterAll(() => db.drop());

  const leaseRows = (id: string) =>
    db.dataSource.query<{ holder: string }[]>('SELECT holder FROM filing_leases WHERE dossier_id = $1', [id]);

  it('lets one run file a dossier asked for twice at the same moment, and the other come back later', async () => {
    const lease = new FilingLease(db.dataSource);
    const id = randomUUID();
    let inside = 0;
    const run = () =>
      lease.holding(id, async () => {
        inside++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      });
    const outcomes = await Promise.allSettled([run(), run(), run()]);
    expect(inside).toBe(1);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === 'rejected'))
      expect(o.reason).toBeInstanceOf(ComeBackLaterError);
    expect(await leaseRows(id)).toEqual([]);
  });

  it("keeps another process's live lease, across processes", async () => {
    const first = new FilingLease(db.dataSource);
    const second = new FilingLease(db.dataSource);
    const id = randomUUID();
    let release!: () => void;
    const held = first.holding(id, () => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(second.holding(id, async () => 'filed')).rejects.toBeInstanceOf(ComeBackLaterError);
    release();
    await held;
    await expect(second.holding(id, async () => 'filed')).resolves.toBe('filed');
  });

  it("gives the lease back inside the commit's statement: rolled back, the run gives it back itself", async () => {
    const lease = new FilingLease(db.dataSource);
    const committed = randomUUID();
    await lease.holding(committed, async (held) => {
      await db.dataSource.transaction(async (manager) => {
        await runSideWrite(manager, lease.releasing([held])!);
        // Inside the transaction the lease is gone; outside, until the commit, it is not.
        expect(await manager.query('SELECT 1 FROM filing_leases WHERE dossier_id = $1', [committed])).toEqual(
          [],
        );
        expect(await leaseRows(committed)).toHaveLength(1);
      });
      lease.markReleased([held]);
      expect(await leaseRows(committed)).toEqual([]);
    });

    const rolledBack = randomUUID();
    await lease.holding(rolledBack, async (held) => {
      await db.dataSource
        .transaction(async (manager) => {
          await runSideWrite(manager, lease.releasing([held])!);
          throw new Error('the answer could not be committed');
        })
        .catch(() => undefined);
      expect(await leaseRows(rolledBack)).toHaveLength(1);
    });
    expect(await leaseRows(rolledBack)).toEqual([]);
  });
});
