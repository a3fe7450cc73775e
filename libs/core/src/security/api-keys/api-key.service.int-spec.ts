import { createTestDatabase, TestDatabase } from '@bridge/testing';
import { ApiKeyNotFoundError, ApiKeyService } from './api-key.service';
import { InvalidApiRoleError } from './api-key-role';

describe('ApiKeyService against PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('apikeys');
  });

  afterAll(async () => {
    await db.drop();
  });

  it('creates a key shown once, authenticates it, and refuses it once revoked', async () => {
    const service = new ApiKeyService(db.dataSource);
    const created = await service.create({ name: 'Sở TTTT Hà Nội', role: 'agency:000.00.00.H26' });
    expect(created.key).toMatch(new RegExp(`^pob_${created.prefix}_[A-Za-z0-9]{32}$`));

    expect(await service.authenticate(created.key)).toEqual({
      keyId: created.id,
      name: 'Sở TTTT Hà Nội',
      role: 'agency:000.00.00.H26',
    });
    expect(
      await service.authenticate(`${created.key.slice(0, -1)}${created.key.endsWith('x') ? 'y' : 'x'}`),
    ).toBeNull();
    expect(await service.authenticate('not-a-key')).toBeNull();

    const revoked = await service.revoke(created.prefix);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await service.authenticate(created.key)).toBeNull();
    // A fresh process (no cache) refuses it too.
    expect(await new ApiKeyService(db.dataSource).authenticate(created.key)).toBeNull();
  });

  it('stores only the prefix and a scrypt hash, never the key', async () => {
    const service = new ApiKeyService(db.dataSource);
    const created = await service.create({ name: 'postal backend', role: 'postal' });
    const rows = await db.dataSource.query<Array<Record<string, unknown>>>(
      'SELECT * FROM api_keys WHERE id = $1',
      [created.id],
    );
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(created.key);
    expect(stored).not.toContain(created.key.slice(13));
    expect(rows[0].hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(rows[0].prefix).toBe(created.prefix);
  });

  it('lists keys without hashes or secrets', async () => {
    const service = new ApiKeyService(db.dataSource);
    const created = await service.create({ name: 'ops', role: 'operator' });
    const listed = await service.list();
    const entry = listed.find((key) => key.id === created.id);
    expect(entry && Object.keys(entry).sort()).toEqual([
      'createdAt',
      'id',
      'lastUsedAt',
      'name',
      'prefix',
      'revokedAt',
      'role',
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/scrypt|pob_[A-Za-z0-9]{8}_/);
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(13));
  });

  it('refuses an invalid role, naming the valid forms, and stores nothing', async () => {
    const service = new ApiKeyService(db.dataSource);
    const before = (await service.list()).length;
    await expect(service.create({ name: 'x', role: 'agency: H26' })).rejects.toThrow(InvalidApiRoleError);
    await expect(service.create({ name: 'x', role: 'root' })).rejects.toThrow(
      /admin, operator, postal, agency:<code>/,
    );
    expect((await service.list()).length).toBe(before);
  });

  it('accepts the bootstrap admin key without storing it', async () => {
    const service = new ApiKeyService(db.dataSource, { bootstrapAdminKey: 'first-admin-key-of-the-site' });
    expect(await service.authenticate('first-admin-key-of-the-site')).toEqual({
      keyId: null,
      name: 'bootstrap',
      role: 'admin',
    });
    expect(await service.authenticate('first-admin-key-of-the-sitE')).toBeNull();
    const rows = await db.dataSource.query<Array<{ n: number }>>(
      'SELECT count(*)::int AS n FROM api_keys WHERE name = $1',
      ['bootstrap'],
    );
    expect(rows[0].n).toBe(0);
  });

  it('caches a success, drops it on a revoke here or elsewhere, and writes last_used_at at most once a minute', async () => {
    let now = Date.parse('2025-06-01T08:00:00Z');
    const here = new ApiKeyService(db.dataSource, { now: () => now });
    const elsewhere = new ApiKeyService(db.dataSource, { now: () => now });
    const created = await here.create({ name: 'cache', role: 'operator' });
    const lastUsed = async () =>
      (
        await db.dataSource.query<Array<{ last_used_at: Date }>>(
          'SELECT last_used_at FROM api_keys WHERE id = $1',
          [created.id],
        )
      )[0].last_used_at;

    expect(await here.authenticate(created.key)).not.toBeNull();
    expect((await lastUsed()).toISOString()).toBe('2025-06-01T08:00:00.000Z');
    now += 20_000;
    expect(await here.authenticate(created.key)).not.toBeNull();
    expect((await lastUsed()).toISOString()).toBe('2025-06-01T08:00:00.000Z');

    // Revoked by another process: this one notices at its next look at revocations (500 ms).
    await elsewhere.revoke(created.id);
    now += 600;
    expect(await here.authenticate(created.key)).toBeNull();

    const second = await here.create({ name: 'cache-2', role: 'operator' });
    expect(await here.authenticate(second.key)).not.toBeNull();
    now += 61_000;
    await here.revoke(second.id);
    expect(await here.authenticate(second.key)).toBeNull();
  });

  it('says which key was not found', async () => {
    const service = new ApiKeyService(db.dataSource);
    await expect(service.revoke('Zz9Zz9Zz')).rejects.toThrow(ApiKeyNotFoundError);
    await expect(service.revoke('Zz9Zz9Zz')).rejects.toThrow('no API key with id or prefix "Zz9Zz9Zz"');
  });
});
