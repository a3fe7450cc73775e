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

/** Bodies blanked per statement. */
const BLANK_BATCH = 5000;

/** What a body purge did (or, dry, would do). */
export interface BodyPurgeResult {
  /** Bodies blanked; their records, digests and hashes stay. */
  blanked: number;
  /** Records written before bodies had digests, deleted behind a retention anchor. */
  pruned: number;
}

/**
 * Blanks the bodies of records logged before `olderThan`, keeping each record and its body
 * digest, which is what the chain covers — `verify` still walks every record. Records from
 * before digests were kept (the chain covers their body itself) can only go whole: they form
 * the front of the chain, so they are pruned behind a retention anchor. Retention anchors keep
 * their bodies (`verify` reads them; they hold no personal data). With `dryRun`, only counts.
 */
export async function purgeMessageBodies(
  dataSource: DataSource,
  key: Buffer,
  olderThan: Date,
  now: Date,
  dryRun: boolean,
): Promise<BodyPurgeResult> {
  const [legacy] = await dataSource.query<Array<{ n: string; before: Date | null }>>(
    `SELECT count(*) AS n, (SELECT min(logged_at) FROM message_log WHERE body_sha256 IS NOT NULL) AS before
       FROM message_log
      WHERE body_sha256 IS NULL AND logged_at < $1 AND operation <> $2`,
    [olderThan, RETENTION_ANCHOR_OPERATION],
  );
  const blankWhere = `body_sha256 IS NOT NULL AND body_purged_at IS NULL AND logged_at < $1 AND operation <> $2`;
  if (dryRun) {
    const [row] = await dataSource.query<Array<{ n: string }>>(
      `SELECT count(*) AS n FROM message_log WHERE ${blankWhere}`,
      [olderThan, RETENTION_ANCHOR_OPERATION],
    );
    return { blanked: Number(row.n), pruned: Number(legacy.n) };
  }
  let pruned = 0;
  if (Number(legacy.n) > 0) {
    // Up to the first record with a digest at most: prune removes a prefix by time.
    const limit = legacy.before && legacy.before < olderThan ? legacy.before : olderThan;
    pruned = (await pruneMessageLog(dataSource, key, limit, now)).deleted;
  }
  // In batches: each a short statement, whatever the size of the log.
  let blanked = 0;
  for (;;) {
    const [, count] = await dataSource.query<[unknown, number]>(
      `UPDATE message_log SET body = '', body_purged_at = $3
        WHERE id = ANY(ARRAY(SELECT id FROM message_log WHERE ${blankWhere} ORDER BY id LIMIT ${BLANK_BATCH}))`,
      [olderThan, RETENTION_ANCHOR_OPERATION, now],
    );
    blanked += count;
    if (count < BLANK_BATCH) return { blanked, pruned };
  }
}
