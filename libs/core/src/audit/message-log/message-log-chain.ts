import { createHash, createHmac } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** The `prev_hash` of the very first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Operation of the record that `prune` leaves behind so the shortened chain still verifies. */
export const RETENTION_ANCHOR_OPERATION = 'retention.anchor';

/** The fields of a record that its hash covers. */
export interface ChainedContent {
  loggedAt: Date;
  channel: string;
  direction: string;
  agencyCode: string | null;
  dossierId: string | null;
  operation: string;
  correlationId: string | null;
  status: string | null;
  body: string;
  /**
   * SHA-256 (hex) of `body`. When present the chain covers this digest in the body's place,
   * so a body purged for retention leaves the chain verifiable; records written before digests
   * were kept have none and are covered by their body itself.
   */
  bodySha256?: string | null;
}

/** SHA-256 (hex) of a message body, as stored in `body_sha256`. */
export function bodyDigest(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The content columns of a `message_log` or `message_log_staging` row, as PostgreSQL returns them. */
export interface ContentColumns {
  channel: string;
  direction: string;
  agency_code: string | null;
  dossier_id: string | null;
  operation: string;
  correlation_id: string | null;
  status: string | null;
  body: string;
  /** Only `message_log` rows have it (null on records written before digests were kept). */
  body_sha256?: string | null;
}

/** The content a row's hash covers, given the time it was logged at. */
export function contentOfRow(row: ContentColumns, loggedAt: Date): ChainedContent {
  return {
    loggedAt,
    channel: row.channel,
    direction: row.direction,
    agencyCode: row.agency_code,
    dossierId: row.dossier_id,
    operation: row.operation,
    correlationId: row.correlation_id,
    status: row.status,
    body: row.body,
    bodySha256: row.body_sha256,
  };
}

/**
 * Canonical serialization of a record's content: a JSON array in a fixed field order
 * (logged_at as ISO-8601 UTC with milliseconds, then channel, direction, agency_code,
 * dossier_id, operation, correlation_id, status, then the body — or `sha256:<digest>` when the
 * record has a body digest; absent values as null). JSON escaping
 * makes it unambiguous. The id is left out: ids come from a sequence at insert time, and the
 * order of records is already bound by each record's `prev_hash`.
 */
export function canonicalContent(content: ChainedContent): string {
  return JSON.stringify([
    content.loggedAt.toISOString(),
    content.channel,
    content.direction,
    content.agencyCode,
    content.dossierId,
    content.operation,
    content.correlationId,
    content.status,
    content.bodySha256 ? `sha256:${content.bodySha256}` : content.body,
  ]);
}

/**
 * Version of the chain's hash: 1 = plain SHA-256 (records written before the chain was keyed;
 * anyone with write access to the database could recompute them), 2 = HMAC-SHA256 with the
 * audit key, which is never stored in the database. New records are always version 2.
 */
export type ChainVersion = 1 | 2;
export const CURRENT_CHAIN_VERSION: ChainVersion = 2;

/**
 * The hash (hex) over the previous record's hash, a newline and {@link canonicalContent}:
 * HMAC-SHA256 with `key` (version 2), or plain SHA-256 without one (version 1, legacy records).
 */
export function chainHash(prevHash: string, content: ChainedContent, key?: Buffer): string {
  const digest = key ? createHmac('sha256', key) : createHash('sha256');
  return digest.update(prevHash).update('\n').update(canonicalContent(content)).digest('hex');
}

// Advisory lock class of the message log; the second key is the schema, so every schema (one
// per test, one in production) has its own chain and its own lock.
const CHAIN_LOCK_CLASS = 0x504f42;

/**
 * Serializes writers of the chain: held until the surrounding transaction ends, so the last
 * hash read after taking it stays the last until this transaction's rows are committed.
 */
export async function lockChain(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [CHAIN_LOCK_CLASS]);
}

/** The newest record's hash and time (genesis and undefined on an empty log). */
export async function chainHead(
  manager: EntityManager,
): Promise<{ hash: string; loggedAt: Date | undefined }> {
  const rows = await manager.query<Array<{ hash: string; logged_at: Date }>>(
    'SELECT hash, logged_at FROM message_log ORDER BY id DESC LIMIT 1',
  );
  return rows.length
    ? { hash: rows[0].hash, loggedAt: rows[0].logged_at }
    : { hash: GENESIS_HASH, loggedAt: undefined };
}

const COLUMNS =
  'logged_at, channel, direction, agency_code, dossier_id, operation, correlation_id, status, body, body_sha256, prev_hash, hash, chain_version';
const INSERT_CHUNK = 500;

/** What {@link insertChained} appends: a record's content, with the time it was written if known. */
export type ChainInput = Omit<ChainedContent, 'loggedAt' | 'bodySha256'> & {
  /** When the message was logged (a staged entry's `staged_at`); defaults to `now`. */
  loggedAt?: Date;
};

/**
 * Appends `contents` after the current head, in order, and returns their ids and hashes.
 * Must run inside a transaction that holds {@link lockChain}. `logged_at` never goes back in
 * time along the chain, even when clocks of two processes disagree: a record written earlier
 * than the record before it takes that record's time. `knownHead` is the head read earlier in
 * the same transaction (prune reads it before deleting). Records are keyed with `key` (the
 * audit key, chain version 2).
 */
export async function insertChained(
  manager: EntityManager,
  key: Buffer,
  contents: ChainInput[],
  now: Date,
  knownHead?: { hash: string; loggedAt: Date | undefined },
): Promise<Array<{ id: string; hash: string; loggedAt: Date }>> {
  const head = knownHead ?? (await chainHead(manager));
  let previousAt = head.loggedAt;
  let prevHash = head.hash;
  const out: Array<{ id: string; hash: string; loggedAt: Date }> = [];
  for (let start = 0; start < contents.length; start += INSERT_CHUNK) {
    const chunk = contents.slice(start, start + INSERT_CHUNK);
    const params: unknown[] = [];
    const tuples: string[] = [];
    const written: Array<{ hash: string; loggedAt: Date }> = [];
    for (const item of chunk) {
      const wanted = item.loggedAt ?? now;
      const loggedAt = previousAt && previousAt > wanted ? previousAt : wanted;
      const digest = bodyDigest(item.body);
      const content: ChainedContent = { ...item, loggedAt, bodySha256: digest };
      const hash = chainHash(prevHash, content, key);
      const values: unknown[] = [
        loggedAt,
        item.channel,
        item.direction,
        item.agencyCode,
        item.dossierId,
        item.operation,
      ];
      values.push(item.correlationId, item.status, item.body, digest, prevHash, hash, CURRENT_CHAIN_VERSION);
      tuples.push(`(${values.map((_, i) => `$${params.length + i + 1}`).join(', ')})`);
      params.push(...values);
      written.push({ hash, loggedAt });
      prevHash = hash;
      previousAt = loggedAt;
    }
    const sql = `INSERT INTO message_log (${COLUMNS}) VALUES ${tuples.join(', ')} RETURNING id, hash`;
    const rows = await manager.query<Array<{ id: string; hash: string }>>(sql, params);
    const idByHash = new Map(rows.map((row) => [row.hash, String(row.id)]));
    for (const w of written) out.push({ id: idByHash.get(w.hash) as string, ...w });
  }
  return out;
}
