import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ComeBackLaterError } from '@bridge/queues';

/**
 * How long a lease holds unless renewed: the holder renews it every third of this while its call
 * runs, so a lease left by a process that died frees within this time.
 */
export const FILING_LEASE_MS = 10_000;
/** When a run that found the lease taken comes back (no attempt used, no circuit failure). */
const LEASE_BUSY_RETRY_MS = 2_000;

/**
 * A per-dossier lease on filing at the agency, in PostgreSQL. Only one run of a submission calls
 * the agency at a time, even when Redis lost its data and the same job exists twice (one held
 * in a worker's memory, one enqueued again by the stuck-dossier sweeper): the second run finds
 * the lease taken and comes back later (without using an attempt), when the first has committed the receipt and the dossier
 * is no longer `collected`. The holder renews the lease while its call runs; one left by a
 * process that died expires within {@link FILING_LEASE_MS}.
 */
export class FilingLease {
  private readonly holder = randomUUID();

  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` holding the dossier's lease; throws a temporary error when another run holds it. */
  async holding<T>(dossierId: string, work: () => Promise<T>): Promise<T> {
    const taken = await this.dataSource.query<unknown[]>(
      `INSERT INTO filing_leases (dossier_id, holder, until)
            VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (dossier_id) DO UPDATE SET holder = excluded.holder, until = excluded.until
             WHERE filing_leases.until < now()
       RETURNING dossier_id`,
      [dossierId, this.holder, FILING_LEASE_MS / 1000],
    );
    if (taken.length === 0)
      throw new ComeBackLaterError(`dossier ${dossierId} is being filed by another run`, LEASE_BUSY_RETRY_MS);
    const renew = setInterval(() => {
      void this.dataSource
        .query(
          `UPDATE filing_leases SET until = now() + make_interval(secs => $3) WHERE dossier_id = $1 AND holder = $2`,
          [dossierId, this.holder, FILING_LEASE_MS / 1000],
        )
        .catch(() => undefined);
    }, FILING_LEASE_MS / 3);
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.dataSource
        .query('DELETE FROM filing_leases WHERE dossier_id = $1 AND holder = $2', [dossierId, this.holder])
        .catch(() => undefined);
    }
  }
}
