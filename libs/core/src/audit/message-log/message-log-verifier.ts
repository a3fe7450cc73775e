import type { DataSource } from 'typeorm';
import { GENESIS_HASH, RETENTION_ANCHOR_OPERATION, bodyDigest, chainHash } from './message-log-chain';

/** Outcome of walking the chain: `records` is the number of records found intact. */
export type MessageLogVerification =
  { ok: true; records: number } | { ok: false; records: number; firstBrokenId: string; reason: string };

/** What a retention anchor's body records about the records it replaced. */
export interface RetentionAnchor {
  prunedThroughId: string;
  lastPrunedHash: string;
  deleted: number;
  olderThan: string;
}

interface Row {
  id: string;
  logged_at: Date;
  channel: string;
  direction: string;
  agency_code: string | null;
  dossier_id: string | null;
  operation: string;
  correlation_id: string | null;
  status: string | null;
  body: string;
  body_sha256: string | null;
  body_purged_at: Date | null;
  prev_hash: string;
  hash: string;
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

/**
 * Walks the whole log in id order, `batchSize` records at a time (memory stays bounded), and
 * names the first record whose stored hash does not match its content or whose `prev_hash`
 * does not match the previous record's hash. After `prune`, the walk starts from the hash the
 * latest retention anchor recorded for the last removed record.
 */
export async function verifyMessageLog(
  dataSource: DataSource,
  batchSize = 1000,
): Promise<MessageLogVerification> {
  const anchor = await latestAnchor(dataSource);
  let records = 0;
  let lastId = '0';
  let previous: { id: string; hash: string } | undefined;
  for (;;) {
    const rows = await dataSource.query<Row[]>(
      'SELECT * FROM message_log WHERE id > $1 ORDER BY id LIMIT $2',
      [lastId, batchSize],
    );
    for (const row of rows) {
      const id = String(row.id);
      const linkProblem = previous
        ? row.prev_hash === previous.hash
          ? undefined
          : `prev_hash does not match the hash of the previous record ${previous.id}`
        : checkStart(row, anchor);
      if (linkProblem) return { ok: false, records, firstBrokenId: id, reason: linkProblem };
      const expected = chainHash(row.prev_hash, {
        loggedAt: row.logged_at,
        channel: row.channel,
        direction: row.direction,
        agencyCode: row.agency_code,
        dossierId: row.dossier_id,
        operation: row.operation,
        correlationId: row.correlation_id,
        status: row.status,
        body: row.body,
        bodySha256: row.body_sha256,
      });
      // A purged body is proven through its digest, which the chain covers (and must be blank);
      // a kept one must match its digest.
      const bodyAltered =
        row.body_sha256 !== null &&
        (row.body_purged_at ? row.body !== '' : bodyDigest(row.body) !== row.body_sha256);
      if (bodyAltered || expected !== row.hash) {
        return {
          ok: false,
          records,
          firstBrokenId: id,
          reason: "stored hash does not match the record's content",
        };
      }
      records += 1;
      previous = { id, hash: row.hash };
    }
    if (rows.length < batchSize) return { ok: true, records };
    lastId = String(rows[rows.length - 1].id);
  }
}
