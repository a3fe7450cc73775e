import { createHash } from 'node:crypto';

/** An authenticated caller: which key, its name and its role. `keyId` is null for the bootstrap key. */
export interface ApiPrincipal {
  keyId: string | null;
  name: string;
  role: string;
}

interface Entry {
  principal: ApiPrincipal;
  expiresAt: number;
}

/**
 * Positive cache of recently authenticated keys, so the slow hash is paid once per key per
 * TTL rather than on every request. Entries are keyed by the SHA-256 of the raw key (the raw
 * key is never held), dropped when their key is revoked in this process, and all dropped when
 * the key service sees a revocation made elsewhere.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  get(rawKey: string): ApiPrincipal | undefined {
    const id = digest(rawKey);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.principal;
  }

  set(rawKey: string, principal: ApiPrincipal): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first entry is the oldest.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(digest(rawKey), { principal, expiresAt: this.now() + this.ttlMs });
  }

  /** Number of remembered keys. */
  size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  forgetKey(keyId: string): void {
    for (const [id, entry] of this.entries) {
      if (entry.principal.keyId === keyId) this.entries.delete(id);
    }
  }
}

function digest(rawKey: string): string {
  return createHash('sha256').update(rawKey, 'utf8').digest('hex');
}
