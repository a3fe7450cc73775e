import type { DataSource, EntityManager } from 'typeorm';
import { runSideWrite, SideWrite } from '../../common/side-write';
import { ChainInput, ContentColumns, contentOfRow, insertChained, lockChain } from './message-log-chain';

/** A redacted entry as it is staged: everything a chained record holds except the hashes. */
export type StagedContent = Omit<ChainInput, 'loggedAt'>;

const STAGED_COLUMNS =
  'staged_at, channel, direction, agency_code, dossier_id, operation, correlation_id, status, body';

/**
 * The insert of entries into `message_log_staging`, in order: a plain multi-row insert (arrays
 * unnested in order), no lock and no read, so it commits (or rolls back) with the caller's
 * business change without serializing it behind other writers of the chain. A side write: it
 * rides in the ledger's statement, or runs alone ({@link stageEntries}).
 */
export function stagingInsert(contents: readonly StagedContent[], stagedAt: Date): SideWrite {
  const column = <T>(pick: (c: StagedContent) => T) => contents.map(pick);
  return (p) => `INSERT INTO message_log_staging (${STAGED_COLUMNS})
      SELECT ${p(stagedAt)}::timestamptz, x.channel, x.direction, x.agency_code, x.dossier_id, x.operation,
             x.correlation_id, x.status, x.body
        FROM unnest(${p(column((c) => c.channel))}::text[], ${p(column((c) => c.direction))}::text[],
                    ${p(column((c) => c.agencyCode))}::text[], ${p(column((c) => c.dossierId))}::uuid[],
                    ${p(column((c) => c.operation))}::text[], ${p(column((c) => c.correlationId))}::text[],
                    ${p(column((c) => c.status))}::text[], ${p(column((c) => c.body))}::text[])
             WITH ORDINALITY AS x(channel, direction, agency_code, dossier_id, operation, correlation_id,
                                  status, body, n)
       ORDER BY x.n`;
}

/** Stages entries through the caller's manager, on their own; returns their staging ids. */
export async function stageEntries(
  manager: EntityManager,
  contents: StagedContent[],
  stagedAt: Date,
): Promise<Array<{ id: string; stagedAt: Date }>> {
  const rows = await runSideWrite<Array<{ id: string }>>(
    manager,
    stagingInsert(contents, stagedAt),
    ' RETURNING id',
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
