import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ComeBackLaterError } from '@bridge/queues';
import { GroupCommit } from '../common/group-commit';
import { preparedQuery } from '../common/prepared-query';
import type { SideWrite } from '../common/side-write';

/**
 * How long a lease holds unless renewed: the holder renews it every third of this while its call
 * runs, so a lease left by a process that died frees within this time.
 */
export const FILING_LEASE_MS = 10_000;
/** When a run that found the lease taken comes back (no attempt used, no circuit failure). */
const LEASE_BUSY_RETRY_MS = 2_000;

/** One run's hold on a dossier's lease; `released` once a commit has given it back. */
export class HeldLease {
  released = false;

  constructor(readonly dossierId: string) {}
}

/**
 * A per-dossier lease on filing at the agency, in PostgreSQL. Only one run of a submission calls
 * the agency at a time, even when Redis lost its data and the same job exists twice (one held
 * in a worker's memory, one enqueued again by the stuck-dossier sweeper): the second run finds
 * the lease taken and comes back later (without using an attempt), when the first has committed
 * the receipt and the dossier is no longer `collected`. The holder renews the lease while its
 * call runs; one left by a process that died expires within {@link FILING_LEASE_MS}.
 *
 * Leases asked for at the same moment are taken with one statement, and the commit that records
 * the agency's answer gives its leases back in its own statement ({@link releasing}): the
 * answer and the end of the lease are one fact, and no run pays a round trip for either alone.
 */
export class FilingLease {
  private readonly holder = randomUUID();
  private readonly takes = new GroupCommit((ids: string[]) => this.takeMany(ids), {
    maxGroups: 2,
    maxSize: 64,
  });

  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` holding the dossier's lease; throws a temporary error when another run holds it. */
  async holding<T>(dossierId: string, work: (lease: HeldLease) => Promise<T>): Promise<T> {
    if (!(await this.takes.submit(dossierId)))
      throw new ComeBackLaterError(`dossier ${dossierId} is being filed by another run`, LEASE_BUSY_RETRY_MS);
    const lease = new HeldLease(dossierId);
    const renew = setInterval(() => {
      if (lease.released) return;
      void preparedQuery(
        this.dataSource,
        `UPDATE filing_leases SET until = now() + make_interval(secs => $3) WHERE dossier_id = $1 AND holder = $2`,
        [dossierId, this.holder, FILING_LEASE_MS / 1000],
      ).catch(() => undefined);
    }, FILING_LEASE_MS / 3);
    renew.unref();
    try {
      return await work(lease);
    } finally {
      clearInterval(renew);
      if (!lease.released)
        await preparedQuery(
          this.dataSource,
          'DELETE FROM filing_leases WHERE dossier_id = $1 AND holder = $2',
          [dossierId, this.holder],
        ).catch(() => undefined);
    }
  }

  /**
   * Gives `leases` back in the caller's transaction, as a side write of its statement; mark
   * them with {@link markReleased} once it has committed, so their runs do not give them back
   * a second time.
   */
  releasing(leases: readonly HeldLease[]): SideWrite | undefined {
    if (leases.length === 0) return undefined;
    const ids = leases.map((l) => l.dossierId);
    return (p) =>
      `DELETE FROM filing_leases WHERE dossier_id = ANY(${p(ids)}::uuid[]) AND holder = ${p(this.holder)}`;
  }

  markReleased(leases: readonly HeldLease[]): void {
    for (const lease of leases) lease.released = true;
  }

  /**
   * Takes the leases of `ids` in one statement: true for each one taken. A dossier asked for
   * twice in one batch (the same job held twice) is taken by its first asker only.
   */
  private async takeMany(ids: string[]): Promise<boolean[]> {
    const distinct = [...new Set(ids)];
    const rows = await preparedQuery<{ dossier_id: string }[]>(
      this.dataSource,
      `INSERT INTO filing_leases (dossier_id, holder, until)
            SELECT id, $2, now() + make_interval(secs => $3) FROM unnest($1::uuid[]) AS id
       ON CONFLICT (dossier_id) DO UPDATE SET holder = excluded.holder, until = excluded.until
             WHERE filing_leases.until < now()
       RETURNING dossier_id`,
      [distinct, this.holder, FILING_LEASE_MS / 1000],
    );
    const taken = new Set(rows.map((r) => r.dossier_id));
    return ids.map((id) => taken.delete(id));
  }
}
