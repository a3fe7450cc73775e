import { randomUUID } from 'node:crypto';
import { AdapterStore } from '@bridge/adapter-sdk';

/**
 * Makes one bridge instance the reader of an agency's outbox at a time, through the shared
 * store: `set onlyIfAbsent` with a TTL to take it, a re-set to refresh it while held. A crashed
 * holder loses it when the TTL runs out. The check-then-refresh is not atomic; the window is a
 * TTL's worth of time after the holder stopped refreshing, and changes read twice are
 * de-duplicated by the bridge on `changeId` anyway.
 */
export class FolderLock {
  private readonly owner = randomUUID();

  constructor(
    private readonly store: AdapterStore,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes or refreshes the lock; false when another instance holds it. */
  async acquire(): Promise<boolean> {
    if (await this.store.set(this.key, this.owner, { ttlMs: this.ttlMs, onlyIfAbsent: true })) return true;
    if ((await this.store.get(this.key)) !== this.owner) return false;
    await this.store.set(this.key, this.owner, { ttlMs: this.ttlMs });
    return true;
  }

  /** Gives the lock up if this instance holds it. */
  async release(): Promise<void> {
    if ((await this.store.get(this.key)) === this.owner) await this.store.delete(this.key);
  }
}
