import { DataSource } from 'typeorm';
import { ApiKeyEntity } from '@bridge/persistence';
import { ApiPrincipal, ApiKeyCache } from './api-key-cache';
import { ApiKeyRevocations } from './api-key-revocations';
import { ApiRole, parseApiRole } from './api-key-role';
import {
  constantTimeEquals,
  generateApiKey,
  hashApiKey,
  prefixOfApiKey,
  verifyApiKeyHash,
} from './api-key-secret';
import { KeyFailureLimiter } from './key-failure-limiter';
import { isUuid } from '../../common/uuid';

/** What `list()` shows of a key: never its hash, never the key. */
export interface ApiKeySummary {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A freshly created key: `key` is shown this once and cannot be recovered later. */
export interface CreatedApiKey extends ApiKeySummary {
  key: string;
}

/** Options of {@link ApiKeyService}. */
export interface ApiKeyServiceOptions {
  /** BRIDGE_BOOTSTRAP_ADMIN_KEY: accepted as `{ role: 'admin', name: 'bootstrap' }`, never stored. */
  bootstrapAdminKey?: string;
  /** How long a successful authentication is remembered in this process (default 30 s). */
  cacheTtlMs?: number;
  /** Minimum interval between two `last_used_at` writes of one key (default 60 s). */
  lastUsedIntervalMs?: number;
  /**
   * How often the remembered successes are checked against revocations in the database
   * (default 500 ms): a key revoked by any process stops working here within this interval.
   */
  revocationCheckMs?: number;
  /** Counts wrong keys per client and refuses guessing before the hash; none when absent. */
  failureLimiter?: KeyFailureLimiter;
  /** Clock in epoch milliseconds (tests). */
  now?: () => number;
}

/** A client sent too many wrong keys: refused before any hash is computed. */
export class KeyGuessingRefusedError extends Error {
  constructor(readonly retryAfterMs: number) {
    super('too many wrong API keys from this client; try again later');
    this.name = 'KeyGuessingRefusedError';
  }
}

/** No key with that id or prefix. */
export class ApiKeyNotFoundError extends Error {
  constructor(readonly idOrPrefix: string) {
    super(`no API key with id or prefix "${idOrPrefix}"`);
    this.name = 'ApiKeyNotFoundError';
  }
}

const UNIQUE_VIOLATION = '23505';

/**
 * API keys of the HTTP API. Keys are stored as a lookup prefix plus a scrypt hash of the
 * whole key. A successful authentication is remembered in memory for `cacheTtlMs` (30 s), and
 * every `revocationCheckMs` (500 ms) one small query asks whether any key was revoked since:
 * if so the memory is dropped, so a key revoked by any process (or by hand in the database)
 * stops everywhere within about half a second. A refusal costs one scrypt whether or not the
 * prefix exists or the key is revoked, so its time tells a guesser nothing; a client's wrong
 * keys are counted and, over the limit, refused before the hash.
 */
export class ApiKeyService {
  private readonly cache: ApiKeyCache;
  private readonly lastTouched = new Map<string, number>();
  private readonly now: () => number;
  private readonly lastUsedIntervalMs: number;
  private readonly revocations: ApiKeyRevocations;
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ApiKeyServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.lastUsedIntervalMs = options.lastUsedIntervalMs ?? 60_000;
    this.cache = new ApiKeyCache(options.cacheTtlMs ?? 30_000, 10_000, this.now);
    this.revocations = new ApiKeyRevocations(
      dataSource,
      this.cache,
      options.revocationCheckMs ?? 500,
      this.now,
    );
    // The hash an unknown or revoked key is checked against, so that refusal costs the same.
    this.dummyHash = hashApiKey(generateApiKey().key);
    this.dummyHash.catch(() => undefined);
  }

  /** Creates a key; the returned `key` is the only time it is ever visible. */
  async create(input: { name: string; role: string }): Promise<CreatedApiKey> {
    const name = (input.name ?? '').trim();
    if (!name) throw new Error('API key name must not be empty');
    if (name.length > 200) throw new Error('API key name must be at most 200 characters');
    const role: ApiRole = parseApiRole(input.role);
    for (let attempt = 0; ; attempt += 1) {
      const { key, prefix } = generateApiKey();
      const hash = await hashApiKey(key);
      try {
        const rows = await this.repository().insert({ name, role, prefix, hash });
        const id = (rows.identifiers[0] as { id: string }).id;
        const saved = await this.repository().findOneByOrFail({ id });
        return { ...summarize(saved), key };
      } catch (error) {
        // A prefix collision (1 in 2×10^14 per pair) just draws another key.
        if (
          (error as { driverError?: { code?: string } }).driverError?.code !== UNIQUE_VIOLATION ||
          attempt >= 3
        )
          throw error;
      }
    }
  }

  /** Every key, newest first, without hashes or keys. */
  async list(): Promise<ApiKeySummary[]> {
    const rows = await this.repository().find({ order: { createdAt: 'DESC' } });
    return rows.map(summarize);
  }

  /**
   * Revokes a key by its id or its prefix (a whole key is accepted too). Revoking a revoked
   * key changes nothing. Throws {@link ApiKeyNotFoundError} when there is no such key.
   */
  async revoke(idOrPrefix: string): Promise<ApiKeySummary> {
    const ref = idOrPrefix.trim();
    const column = isUuid(ref) ? 'id' : 'prefix';
    const value = column === 'prefix' ? (prefixOfApiKey(ref) ?? ref.replace(/^pob_/, '')) : ref;
    const rows = await this.dataSource.query<[Array<{ id: string }>, number]>(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE ${column} = $1 RETURNING id`,
      [value],
    );
    const id = rows[0][0]?.id;
    if (!id) throw new ApiKeyNotFoundError(ref);
    this.cache.forgetKey(id);
    return summarize(await this.repository().findOneByOrFail({ id }));
  }

  /**
   * The principal of a raw key, or null when the key is malformed, unknown, revoked or wrong.
   * Comparisons are constant-time; the bootstrap admin key is checked first and never stored.
   * `client` (the caller's address) is what wrong keys are counted against: over the limit,
   * {@link KeyGuessingRefusedError} is thrown before anything is looked up or hashed.
   */
  async authenticate(rawKey: string, client = 'unknown'): Promise<ApiPrincipal | null> {
    const bootstrap = this.options.bootstrapAdminKey;
    if (bootstrap && constantTimeEquals(rawKey, bootstrap))
      return { keyId: null, name: 'bootstrap', role: 'admin' };
    await this.revocations.refresh();
    const cached = this.cache.get(rawKey);
    if (cached) {
      await this.touch(cached.keyId as string);
      return cached;
    }
    const limiter = this.options.failureLimiter;
    const waitMs = limiter ? await limiter.retryAfterMs(client) : 0;
    if (waitMs > 0) throw new KeyGuessingRefusedError(waitMs);
    const principal = await this.check(rawKey);
    if (!principal) await limiter?.recordFailure(client);
    return principal;
  }

  /** The slow path: one lookup and exactly one scrypt, whatever the key. */
  private async check(rawKey: string): Promise<ApiPrincipal | null> {
    const prefix = prefixOfApiKey(rawKey);
    if (!prefix) return null;
    const generation = this.revocations.generation;
    const row = await this.repository().findOneBy({ prefix });
    const usable = row !== null && row.revokedAt === null;
    const matches = await verifyApiKeyHash(rawKey, usable ? row.hash : await this.dummyHash);
    if (!usable || !matches) return null;
    const principal: ApiPrincipal = { keyId: row.id, name: row.name, role: row.role };
    // A revocation seen while this check ran must not be undone by remembering the key.
    if (generation === this.revocations.generation) this.cache.set(rawKey, principal);
    if (row.lastUsedAt) this.lastTouched.set(row.id, row.lastUsedAt.getTime());
    await this.touch(row.id);
    return principal;
  }

  /** Records use of a key at most once per interval, in this process and across processes. */
  private async touch(keyId: string): Promise<void> {
    const now = this.now();
    const last = this.lastTouched.get(keyId);
    if (last !== undefined && now - last < this.lastUsedIntervalMs) return;
    this.lastTouched.set(keyId, now);
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = $2
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - make_interval(secs => $3))`,
      [keyId, new Date(now), this.lastUsedIntervalMs / 1000],
    );
  }

  private repository() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }
}

function summarize(row: ApiKeyEntity): ApiKeySummary {
  const { id, name, role, prefix, createdAt, lastUsedAt, revokedAt } = row;
  return { id, name, role, prefix, createdAt, lastUsedAt, revokedAt };
}
