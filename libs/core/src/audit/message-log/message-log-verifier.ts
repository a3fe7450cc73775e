import type { DataSource } from 'typeorm';
import { AuditCheckpoint, checkpointSignatureValid } from './audit-checkpoint';
import {
  ContentColumns,
  GENESIS_HASH,
  RETENTION_ANCHOR_OPERATION,
  bodyDigest,
  chainHash,
  contentOfRow,
} from './message-log-chain';

/** How the walk used the checkpoint it was given. */
export interface CheckpointUse {
  at: string;
  lastId: string;
  /** False when pruning has since removed the record the checkpoint names. */
  compared: boolean;
}

/**
 * Outcome of walking the chain: `records` is the number of records found intact; `checkpoint`
 * what the walk was anchored to (absent: nothing outside the database vouched for the end).
 */
export type MessageLogVerification =
  | { ok: true; records: number; checkpoint?: CheckpointUse }
  | { ok: false; records: number; firstBrokenId: string; reason: string };

/** What a retention anchor's body records about the records it replaced. */
export interface RetentionAnchor {
  prunedThroughId: string;
  lastPrunedHash: string;
  deleted: number;
  olderThan: string;
}

interface Row extends ContentColumns {
  id: string;
  logged_at: Date;
  body_sha256: string | null;
  body_purged_at: Date | null;
  prev_hash: string;
  hash: string;
  chain_version: number;
}

async function latestAnchor(dataSource: DataSource): Promise<RetentionAnchor | undefined> {
  const rows = await dataSource.query<Array<{ body: string }>>(
    'SELECT body FROM message_log WHERE operation = $1 ORDER BY id DESC LIMIT 1',
    [RETENTION_ANCHOR_OPERATION],
  );
  if (!rows.length) return undefined;
  try {
    return JSON.parse(rows[0].body) as RetentionAnchor;
  } catch {
    // A mangled anchor body also fails its own hash check, which names the record.
    return undefined;
  }
}

/** Where the chain must start: genesis, or the last record removed by the latest prune. */
function checkStart(row: Row, anchor: RetentionAnchor | undefined): string | undefined {
  if (!anchor) {
    return row.prev_hash === GENESIS_HASH
      ? undefined
      : 'first record does not start the chain (prev_hash is not the genesis hash) and no retention anchor explains the missing records';
  }
  if (BigInt(row.id) <= BigInt(anchor.prunedThroughId) || row.prev_hash !== anchor.lastPrunedHash) {
    return `first record does not follow record ${anchor.prunedThroughId}, the last one pruned according to the retention anchor`;
  }
  return undefined;
}

/** The hash a record should carry, or why it cannot be checked. */
function recomputed(row: Row, key: Buffer, keyedSeen: boolean): { hash: string } | { problem: string } {
  const version = Number(row.chain_version);
  if (version !== 1 && version !== 2) return { problem: `unknown chain version ${row.chain_version}` };
  // Unkeyed records are accepted only as the front of the log, written before it was keyed:
  // after a keyed record, one would be a record someone forged without the key.
  if (version === 1 && keyedSeen) return { problem: 'an unkeyed (version 1) record follows keyed records' };
  return {
    hash: chainHash(row.prev_hash, contentOfRow(row, row.logged_at), version === 2 ? key : undefined),
  };
}

/**
 * Walks the whole log in id order, `batchSize` records at a time (memory stays bounded), and
 * names the first record whose stored hash does not match its content (keyed with `key`, or
 * plain SHA-256 for the legacy front of the log) or whose `prev_hash` does not match the
 * previous record's hash. After `prune`, the walk starts from the hash the latest retention
 * anchor recorded for the last removed record. With a `checkpoint` (signed with `key`, kept
 * outside the database), the record it names must be there with the hash it recorded: a log
 * whose newest records were deleted, or that was rewritten, is named with what is missing.
 */
export async function verifyMessageLog(
  dataSource: DataSource,
  key: Buffer,
  batchSize = 1000,
  checkpoint?: AuditCheckpoint,
): Promise<MessageLogVerification> {
  if (checkpoint && !checkpointSignatureValid(key, checkpoint)) {
    return {
      ok: false,
      records: 0,
      firstBrokenId: checkpoint.lastId,
      reason: `the checkpoint of ${checkpoint.at} is not signed with this audit key (forged, altered, or another key)`,
    };
  }
  const anchor = await latestAnchor(dataSource);
  // A checkpoint at or before the pruned front names a record that is gone on purpose.
  const comparable =
    checkpoint !== undefined && (!anchor || BigInt(checkpoint.lastId) > BigInt(anchor.prunedThroughId));
  let records = 0;
  let lastId = '0';
  let keyedSeen = false;
  let checkpointMet = false;
  let previous: { id: string; hash: string } | undefined;
  for (;;) {
    const rows = await dataSource.query<Row[]>(
      'SELECT * FROM message_log WHERE id > $1 ORDER BY id LIMIT $2',
      [lastId, batchSize],
    );
    for (const row of rows) {
      const id = String(row.id);
      const broken = (reason: string): MessageLogVerification => ({
        ok: false,
        records,
        firstBrokenId: id,
        reason,
      });
      if (comparable && !checkpointMet && BigInt(id) > BigInt(checkpoint.lastId))
        return broken(
          `record ${checkpoint.lastId}, the last one in the checkpoint of ${checkpoint.at}, is missing`,
        );
      const linkProblem = previous
        ? row.prev_hash === previous.hash
          ? undefined
          : `prev_hash does not match the hash of the previous record ${previous.id}`
        : checkStart(row, anchor);
      if (linkProblem) return broken(linkProblem);
      const expected = recomputed(row, key, keyedSeen);
      if ('problem' in expected) return broken(expected.problem);
      // A purged body is proven through its digest, which the chain covers (and must be blank);
      // a kept one must match its digest.
      const bodyAltered =
        row.body_sha256 !== null &&
        (row.body_purged_at ? row.body !== '' : bodyDigest(row.body) !== row.body_sha256);
      if (bodyAltered || expected.hash !== row.hash)
        return broken("stored hash does not match the record's content");
      if (comparable && id === checkpoint.lastId) {
        if (row.hash !== checkpoint.lastHash)
          return broken(
            `record ${id} differs from the checkpoint of ${checkpoint.at} (the log was rewritten)`,
          );
        checkpointMet = true;
      }
      keyedSeen ||= Number(row.chain_version) === 2;
      records += 1;
      previous = { id, hash: row.hash };
    }
    if (rows.length < batchSize) break;
    lastId = String(rows[rows.length - 1].id);
  }
  if (comparable && !checkpointMet) {
    const after = previous ? `after record ${previous.id}` : 'from the start';
    const from = previous ? (BigInt(previous.id) + 1n).toString() : '1';
    return {
      ok: false,
      records,
      firstBrokenId: from,
      reason: `records ${from}–${checkpoint.lastId} ${after} are missing: the checkpoint of ${checkpoint.at} names record ${checkpoint.lastId} (${checkpoint.records} records) as the end of the log`,
    };
  }
  const use = checkpoint && { at: checkpoint.at, lastId: checkpoint.lastId, compared: comparable };
  return use ? { ok: true, records, checkpoint: use } : { ok: true, records };
}
