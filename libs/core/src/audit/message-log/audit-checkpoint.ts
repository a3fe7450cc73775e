import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import type { AuditCheckpointData } from '@bridge/domain';

/** A signed statement of the chain's end: see {@link AuditCheckpointData}. */
export type AuditCheckpoint = AuditCheckpointData;

/** Name of the file in a checkpoint directory that always holds the newest checkpoint. */
export const LATEST_CHECKPOINT_FILE = 'latest.json';
const MAX_CHECKPOINT_BYTES = 64 * 1024;

function signatureOf(key: Buffer, c: Omit<AuditCheckpoint, 'signature'>): string {
  return createHmac('sha256', key)
    .update(JSON.stringify(['audit.checkpoint', c.records, c.lastId, c.lastHash, c.at]))
    .digest('hex');
}

/** Whether `checkpoint` was signed with `key` and is unaltered. */
export function checkpointSignatureValid(key: Buffer, checkpoint: AuditCheckpoint): boolean {
  const expected = Buffer.from(signatureOf(key, checkpoint), 'hex');
  const given = Buffer.from(String(checkpoint.signature), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The chain's end now, signed: the count, the newest record's id and hash. One statement, so
 * the three come from one snapshot. Undefined while nothing is chained.
 */
export async function takeCheckpoint(
  dataSource: DataSource,
  key: Buffer,
  now: Date,
): Promise<AuditCheckpoint | undefined> {
  const rows = await dataSource.query<Array<{ records: string; id: string; hash: string }>>(
    `SELECT (SELECT count(*) FROM message_log) AS records, id, hash FROM message_log ORDER BY id DESC LIMIT 1`,
  );
  if (!rows.length) return undefined;
  const body = {
    records: Number(rows[0].records),
    lastId: String(rows[0].id),
    lastHash: rows[0].hash,
    at: now.toISOString(),
  };
  return { ...body, signature: signatureOf(key, body) };
}

/**
 * Writes `checkpoint` into `dir` as `checkpoint-<lastId>-<time>.json` and as `latest.json`,
 * each through a temporary file and a rename, so a reader never sees half a file.
 */
export async function writeCheckpoint(dir: string, checkpoint: AuditCheckpoint): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  const text = `${JSON.stringify(checkpoint, null, 2)}\n`;
  const stamp = checkpoint.at.replace(/[:.]/g, '-');
  const name = join(dir, `checkpoint-${checkpoint.lastId.padStart(12, '0')}-${stamp}.json`);
  for (const target of [name, join(dir, LATEST_CHECKPOINT_FILE)]) {
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: 0o640, flag: 'w' });
    await rename(temporary, target);
  }
  return name;
}

/**
 * The newest checkpoint at `location`: a checkpoint file, or a directory (its `latest.json`,
 * else the newest `checkpoint-*.json`). Undefined when a directory holds none. A file that is
 * not a checkpoint is an error naming the file.
 */
export async function readLatestCheckpoint(location: string): Promise<AuditCheckpoint | undefined> {
  let entries: string[] | undefined;
  try {
    entries = await readdir(location);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
  if (entries === undefined) return parseCheckpointFile(location);
  if (entries.includes(LATEST_CHECKPOINT_FILE))
    return parseCheckpointFile(join(location, LATEST_CHECKPOINT_FILE));
  const newest = entries
    .filter((name) => /^checkpoint-\d+-.+\.json$/.test(name))
    .sort()
    .pop();
  return newest ? parseCheckpointFile(join(location, newest)) : undefined;
}

async function parseCheckpointFile(file: string): Promise<AuditCheckpoint> {
  const handle = await open(file, 'r');
  let text: string;
  try {
    if ((await handle.stat()).size > MAX_CHECKPOINT_BYTES)
      throw new Error(`${file} is not a checkpoint (over ${MAX_CHECKPOINT_BYTES} bytes)`);
    text = await readFile(handle, 'utf8');
  } finally {
    await handle.close();
  }
  let parsed: Partial<AuditCheckpoint>;
  try {
    parsed = JSON.parse(text) as Partial<AuditCheckpoint>;
  } catch {
    throw new Error(`${file} is not a checkpoint (not JSON)`);
  }
  const shaped =
    Number.isSafeInteger(parsed.records) &&
    typeof parsed.lastId === 'string' &&
    /^\d{1,19}$/.test(parsed.lastId) &&
    typeof parsed.lastHash === 'string' &&
    typeof parsed.at === 'string' &&
    typeof parsed.signature === 'string';
  if (!shaped)
    throw new Error(`${file} is not a checkpoint (records, lastId, lastHash, at and signature needed)`);
  return parsed as AuditCheckpoint;
}
