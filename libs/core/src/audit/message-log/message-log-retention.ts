import type { DataSource } from 'typeorm';
import { RETENTION_ANCHOR_OPERATION, chainHead, insertChained, lockChain } from './message-log-chain';
import type { RetentionAnchor } from './message-log-verifier';

/** Outcome of a prune: how many records went, and the anchor record that replaced them. */
export interface PruneResult {
  deleted: number;
  anchorId: string | null;
}

/**
 * Deletes the oldest records — every record up to the newest one logged before `olderThan` —
 * and appends a `retention.anchor` record (channel `bridge`, direction `internal`) to the
 * chain. Its body names the last deleted record's id and hash, so `verify` starts from there;
 * a record removed later from the front of the remaining chain is still detected. All of it
 * happens in one transaction under the chain lock.
 */
export async function pruneMessageLog(
  dataSource: DataSource,
  key: Buffer,
  olderThan: Date,
  now: Date,
): Promise<PruneResult> {
  if (Number.isNaN(olderThan.getTime())) throw new Error('prune: olderThan must be a valid date');
  return dataSource.transaction(async (manager) => {
    await lockChain(manager);
    const found = await manager.query<Array<{ id: string; hash: string }>>(
      `SELECT id, hash FROM message_log WHERE id = (SELECT max(id) FROM message_log WHERE logged_at < $1)`,
      [olderThan],
    );
    if (!found.length) return { deleted: 0, anchorId: null };
    const last = found[0];
    // The head is read before deleting: when every record goes, the anchor still links to it.
    const head = await chainHead(manager);
    const deletedRows = await manager.query<[unknown, number]>('DELETE FROM message_log WHERE id <= $1', [
      last.id,
    ]);
    const anchor: RetentionAnchor = {
      prunedThroughId: String(last.id),
      lastPrunedHash: last.hash,
      deleted: deletedRows[1],
      olderThan: olderThan.toISOString(),
    };
    const [inserted] = await insertChained(
      manager,
      key,
      [
        {
          channel: 'bridge',
          direction: 'internal',
          agencyCode: null,
          dossierId: null,
          operation: RETENTION_ANCHOR_OPERATION,
          correlationId: null,
          status: null,
          body: JSON.stringify(anchor),
        },
      ],
      now,
      head,
    );
    return { deleted: anchor.deleted, anchorId: inserted.id };
  });
}
