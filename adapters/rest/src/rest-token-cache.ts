import { createHash } from 'node:crypto';
import { AdapterStore, MemoryAdapterStore } from '@bridge/adapter-sdk';

/** A bearer credential and when it stops working (epoch ms). */
export interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Refresh this long before expiry at most: a token must not die in the middle of a call. */
const MAX_EARLY_REFRESH_MS = 60_000;

/**
 * Keeps one agency's token in the shared store (so every bridge process reuses it) or in
 * memory, and fetches a new one at most once at a time per process.
 */
export class TokenCache {
  private readonly store: AdapterStore;
  private readonly key: string;
  private pending?: Promise<string>;

  constructor(store: AdapterStore | undefined, agencyCode: string, identity: string) {
    this.store = store ?? new MemoryAdapterStore();
    // The identity (URL + client/user) is hashed so a credential change never reuses an old token.
    const digest = createHash('sha256').update(identity).digest('hex').slice(0, 16);
    this.key = `adapter:rest:${agencyCode}:token:${digest}`;
  }

  /** A token valid for a while yet: the cached one, or a fresh one from `fetchToken`. */
  async get(fetchToken: () => Promise<CachedToken>): Promise<string> {
    const cached = await this.store.get(this.key);
    if (cached) {
      const parsed = JSON.parse(cached) as StoredToken;
      if (parsed.refreshAt > Date.now()) return parsed.token;
    }
    this.pending ??= this.refresh(fetchToken).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets `token` after the agency refused it, unless another process already replaced it. */
  async invalidate(token: string): Promise<void> {
    const cached = await this.store.get(this.key);
    if (cached && (JSON.parse(cached) as StoredToken).token === token) await this.store.delete(this.key);
  }

  private async refresh(fetchToken: () => Promise<CachedToken>): Promise<string> {
    const fresh = await fetchToken();
    const now = Date.now();
    // Refresh a tenth of the token's life early, at most a minute early.
    const refreshAt =
      fresh.expiresAt - Math.min(MAX_EARLY_REFRESH_MS, Math.max(0, (fresh.expiresAt - now) / 10));
    const stored: StoredToken = { token: fresh.token, refreshAt };
    if (refreshAt > now) await this.store.set(this.key, JSON.stringify(stored), { ttlMs: refreshAt - now });
    return fresh.token;
  }
}

interface StoredToken {
  token: string;
  refreshAt: number;
}
