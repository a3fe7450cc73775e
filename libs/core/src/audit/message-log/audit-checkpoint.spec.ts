import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointSignatureValid, readLatestCheckpoint, writeCheckpoint } from './audit-checkpoint';
import { auditKeyFromEnv } from './audit-key';

describe('audit key and checkpoints', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'checkpoint-spec-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('derives the key from BRIDGE_SECRET_KEY unless BRIDGE_AUDIT_KEY is set, and refuses a short one', () => {
    const derived = auditKeyFromEnv({ BRIDGE_SECRET_KEY: 'a-secret-key-of-the-site-0123' });
    expect(derived).toHaveLength(32);
    expect(auditKeyFromEnv({ BRIDGE_SECRET_KEY: 'a-secret-key-of-the-site-0123' })).toEqual(derived);
    const own = auditKeyFromEnv({
      BRIDGE_SECRET_KEY: 'a-secret-key-of-the-site-0123',
      BRIDGE_AUDIT_KEY: 'k'.repeat(32),
    });
    expect(own.equals(derived)).toBe(false);
    expect(() => auditKeyFromEnv({ BRIDGE_AUDIT_KEY: 'short' })).toThrow(
      /BRIDGE_AUDIT_KEY must be at least 32/,
    );
  });

  it('writes the newest as latest.json, reads it back, and names a file that is not a checkpoint', async () => {
    const key = auditKeyFromEnv({ BRIDGE_SECRET_KEY: 'a-secret-key-of-the-site-0123' });
    const { createHmac } = await import('node:crypto');
    const body = { records: 3, lastId: '3', lastHash: 'a'.repeat(64), at: '2025-07-03T10:05:00.000Z' };
    const signature = createHmac('sha256', key)
      .update(JSON.stringify(['audit.checkpoint', 3, '3', 'a'.repeat(64), body.at]))
      .digest('hex');
    await writeCheckpoint(dir, { ...body, signature });
    const read = await readLatestCheckpoint(dir);
    expect(read).toEqual({ ...body, signature });
    expect(checkpointSignatureValid(key, read!)).toBe(true);
    expect(checkpointSignatureValid(key, { ...read!, records: 2 })).toBe(false);
    expect(await readLatestCheckpoint(join(dir, 'absent'))).toBeUndefined();
    await writeFile(join(dir, 'latest.json'), '{"records":"many"}');
    await expect(readLatestCheckpoint(dir)).rejects.toThrow(/latest\.json is not a checkpoint/);
  });
});
