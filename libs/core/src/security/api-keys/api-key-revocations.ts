import type { DataSource } from 'typeorm';
import type { ApiKeyCache } from './api-key-cache';

/** Longest a request waits for the look at revocations. */
const REVOCATION_WAIT_MS = 1000;

/**
 * Keeps a process's remembered keys honest about revocations made anywhere: at most once per
 * `intervalMs` one small query fingerprints `api_keys` (how many keys, how many revoked, the
 * latest revocation); when the fingerprint changed, every remembered key is forgotten and
 * `generation` moves on. The query is shared by concurrent requests and waited for at most a
 * second: when the database cannot answer, remembered keys stay valid for their TTL.
 */
export class ApiKeyRevocations {
  /** Moves on each time the memory is dropped; a check that straddles it must not remember. */
  generation = 0;
  private seen?: string;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: ApiKeyCache,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  /** Drops the remembered keys when a key was revoked or removed since the last look. */
  async refresh(): Promise<void> {
    if (this.cache.size() === 0 && this.seen !== undefined) return;
    if (this.now() - this.checkedAt < this.intervalMs) return;
    this.inFlight ??= this.look().finally(() => {
      this.checkedAt = this.now();
      this.inFlight = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.inFlight,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, REVOCATION_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  private async look(): Promise<void> {
    try {
      const [row] = await this.dataSource.query<Array<{ seen: string }>>(
        `SELECT count(*) || '/' || count(revoked_at) || '/' || coalesce(max(revoked_at)::text, '') AS seen FROM api_keys`,
      );
      if (row.seen !== this.seen) {
        this.seen = row.seen;
        this.generation += 1;
        this.cache.clear();
      }
    } catch {
      // The database is away: remembered keys keep their TTL; the next look tries again.
    }
  }
}
