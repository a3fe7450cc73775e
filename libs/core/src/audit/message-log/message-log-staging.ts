import type { DataSource, EntityManager } from 'typeorm';
import { ChainInput, ContentColumns, contentOfRow, insertChained, lockChain } from './message-log-chain';

/** A redacted entry as it is staged: everything a chained record holds except the hashes. */
export type StagedContent = Omit<ChainInput, 'loggedAt'>;

const STAGED_COLUMNS =
  'staged_at, channel, direction, agency_code, dossier_id, operation, correlation_id, status, body';

/**
 * Inserts entries into `message_log_staging` through the caller's manager: a plain multi-row
 * insert, no lock and no read, so it commits (or rolls back) with the caller's business change
 * without serializing it behind other writers of the chain.
 */
export async function stageEntries(
  manager: EntityManager,
  contents: StagedContent[],
  stagedAt: Date,
): Promise<Array<{ id: string; stagedAt: Date }>> {
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const item of contents) {
    const values = [
      stagedAt,
      item.channel,
      item.direction,
      item.agencyCode,
      item.dossierId,
      item.operation,
      item.correlationId,
      item.status,
      item.body,
    ];
    tuples.push(`(${values.map((_, i) => `$${params.length + i + 1}`).join(', ')})`);
    params.push(...values);
  }
  const rows = await manager.query<Array<{ id: string }>>(
    `INSERT INTO message_log_staging (${STAGED_COLUMNS}) VALUES ${tuples.join(', ')} RETURNING id`,
    params,
  );
  return rows.map((row) => ({ id: String(row.id), stagedAt }));
}

interface StagedRow extends ContentColumns {
  id: string;
  staged_at: Date;
}

/**
 * Moves up to `limit` staged entries, oldest first, into the chain and deletes them, in one
 * transaction: the chain lock is taken first (so the head read stays the head), the rows are
 * locked with `SKIP LOCKED`, hashed and inserted as one multi-row insert. A crash before the
 * commit leaves the entries staged; after it they are chained exactly once. Any number of
 * processes may call it at once. Returns how many entries were chained.
 */
export async function chainStaged(
  dataSource: DataSource,
  key: Buffer,
  limit: number,
  now: Date,
): Promise<number> {
  // A cheap look first, outside any transaction, so idle pollers never queue behind the lock.
  const any = await dataSource.query<unknown[]>('SELECT 1 FROM message_log_staging LIMIT 1');
  if (any.length === 0) return 0;
  return dataSource.transaction(async (manager) => {
    await lockChain(manager);
    const rows = await manager.query<StagedRow[]>(
      `SELECT * FROM message_log_staging ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (rows.length === 0) return 0;
    await insertChained(
      manager,
      key,
      rows.map((row) => contentOfRow(row, row.staged_at)),
      now,
    );
    await manager.query('DELETE FROM message_log_staging WHERE id = ANY($1::bigint[])', [
      rows.map((row) => String(row.id)),
    ]);
    return rows.length;
  });
}

/** How many entries wait to be chained. */
export async function countStaged(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query<Array<{ n: string }>>('SELECT count(*) AS n FROM message_log_staging');
  return Number(row.n);
}
