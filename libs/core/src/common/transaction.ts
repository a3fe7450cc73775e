import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { pgClientOf } from './pg-client';

/** PostgreSQL errors after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

/**
 * Runs `work` in one transaction, again (up to `attempts` times) when PostgreSQL reports a
 * serialization failure, a deadlock, or a unique violation from a concurrent insert — the
 * second run sees the other transaction's rows and decides accordingly.
 *
 * When the transaction's connection fails, that failure is what it throws. TypeORM gives a
 * connection back to the pool as soon as it reports an error, so a connection that dies while
 * no statement runs (between two statements of `work`) surfaces at the next statement only as
 * "query runner already released" — an error that names no database problem, which callers
 * would take for a bug of ours and count towards giving the message up.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const connection = new WatchedConnection();
    try {
      return await dataSource.transaction((manager) => {
        connection.watch(manager);
        return work(manager);
      });
    } catch (caught) {
      const error = connection.lost ?? caught;
      const code =
        (error as { code?: string; driverError?: { code?: string } }).driverError?.code ??
        (error as { code?: string }).code;
      if (attempt >= attempts || !code || !RETRYABLE.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    } finally {
      connection.unwatch();
    }
  }
}

/** The first error a transaction's pg client reported, if any. */
class WatchedConnection {
  lost: unknown;
  private client?: PoolClient;
  private readonly onError = (error: unknown) => {
    this.lost ??= error;
  };

  watch(manager: EntityManager): void {
    const runner = manager.queryRunner;
    // Released already: its client reported an error between BEGIN and now.
    if (runner?.isReleased)
      this.lost ??= new Error('Connection terminated before the transaction began its work');
    const client = pgClientOf(runner);
    if (!client) return;
    this.client = client;
    client.on('error', this.onError);
  }

  unwatch(): void {
    this.client?.removeListener('error', this.onError);
    this.client = undefined;
  }
}

/** Canonical JSON (sorted keys) for hashing. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
