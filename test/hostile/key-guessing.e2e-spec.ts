import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { ApiKeyService } from '@bridge/core';
import { HostileGateway, startHostileGateway } from './hostile-gateway';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('key guessing');

/** A key of the right shape whose secret part is wrong. */
function wrongSecret(key: string, n: number): string {
  return `${key.slice(0, -6)}${String(n).padStart(6, 'Z')}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Guessing API keys: wrong secrets are counted per address and refused before the hash once
 * over the limit, on every way in; a refusal takes as long whether the prefix exists or not;
 * a key revoked by another process stops working here within a second.
 */
describe('hostile key guessing', () => {
  let limited: HostileGateway;
  let open: HostileGateway;

  beforeAll(async () => {
    limited = await startHostileGateway('guess', { env: { BRIDGE_AUTH_FAILURE_LIMIT: '10' } });
    open = await startHostileGateway('guesstime', { env: { BRIDGE_AUTH_FAILURE_LIMIT: '100000' } });
  });

  afterAll(async () => {
    tally.print();
    // Each gateway restores the environment it set: close the later one first.
    await open?.close();
    await limited?.close();
  });

  async function attempt(gateway: HostileGateway, path: string, key: string) {
    const before = await gateway.rowCounts();
    const started = performance.now();
    const response = await request(gateway.server()).get(path).set('Authorization', `Bearer ${key}`);
    const tookMs = performance.now() - started;
    const after = await gateway.rowCounts();
    return { response, tookMs, halfApplied: JSON.stringify(after) !== JSON.stringify(before) };
  }

  it('refuses an address with 429 and Retry-After after 10 wrong keys, on the API and on /metrics', async () => {
    const victim = await limited.keys.create({ name: 'vận hành', role: 'operator' });
    for (let n = 0; n < 10; n += 1) {
      const { response, halfApplied } = await attempt(
        limited,
        '/api/v1/ops/overview',
        wrongSecret(victim.key, n),
      );
      tally.record(`wrong secret ${n + 1}`, {
        clean: response.status === 401,
        crashed: response.status >= 500,
        halfApplied,
      });
      expect(response.status).toBe(401);
    }
    for (const path of ['/api/v1/ops/overview', '/metrics', '/api/v1/dossiers/EC136431858VN']) {
      const { response, tookMs, halfApplied } = await attempt(limited, path, wrongSecret(victim.key, 99));
      tally.record(`11th wrong secret on ${path}`, {
        clean: response.status === 429,
        crashed: response.status >= 500,
        halfApplied,
      });
      expect({ path, status: response.status }).toEqual({ path, status: 429 });
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(response.body).toMatchObject({ message: expect.stringContaining('too many wrong API keys') });
      expect(tookMs).toBeLessThan(2_000);
    }
  });

  it('takes as long to refuse an unknown prefix as a known one', async () => {
    const known = await open.keys.create({ name: 'bưu điện', role: 'postal' });
    const revoked = await open.keys.create({ name: 'cũ', role: 'postal' });
    await open.keys.revoke(revoked.id);
    const unknownPrefix = (n: number) => `pob_Zz${String(n).padStart(6, '0')}_${'Q'.repeat(32)}`;
    const timings = { known: [] as number[], unknown: [] as number[], revoked: [] as number[] };
    // Interleaved rounds, so load on the machine falls on all three alike.
    for (let n = 0; n < 9; n += 1) {
      for (const [kind, key] of [
        ['known', wrongSecret(known.key, n)],
        ['unknown', unknownPrefix(n)],
        ['revoked', revoked.key],
      ] as const) {
        const { response, tookMs, halfApplied } = await attempt(open, '/api/v1/dossiers/EC136431858VN', key);
        timings[kind].push(tookMs);
        if (n === 0)
          tally.record(`${kind} prefix refused`, {
            clean: response.status === 401,
            crashed: response.status >= 500,
            halfApplied,
          });
        expect(response.status).toBe(401);
      }
    }
    const knownMs = median(timings.known);
    // Every refusal pays one scrypt (tens of ms); a shortcut for unknown prefixes answers in a few.
    expect(median(timings.unknown) / knownMs).toBeGreaterThan(0.5);
    expect(median(timings.revoked) / knownMs).toBeGreaterThan(0.5);
  });

  it('stops a key revoked by another process within a second', async () => {
    const key = await open.keys.create({ name: 'trực ban', role: 'operator' });
    const call = () =>
      request(open.server()).get('/api/v1/ops/overview').set('Authorization', `Bearer ${key.key}`);
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200); // now remembered by this gateway
    // Revoked the way `bridge keys revoke` or another gateway does: its own service, same database.
    await new ApiKeyService(open.db.dataSource).revoke(key.id);
    const revokedAt = performance.now();
    let status = 200;
    while (performance.now() - revokedAt < 1_000 && status === 200) status = (await call()).status;
    tally.record('revoked key after revocation elsewhere', { clean: status === 401, crashed: status >= 500 });
    expect(status).toBe(401);
  });
});
