/**
 * Gathers what callers add over a short time and writes it once: the first addition starts a
 * timer of `lingerMs`; when it fires, everything gathered goes out in one `write`, and every
 * caller of that batch learns its outcome. One write runs at a time; what arrives meanwhile
 * waits for the next. For writes nobody reads within the linger (statistics, marks), where
 * one round trip per job would cost more than the data is worth.
 */
export class LingeringBatch<B> {
  private batch?: { data: B; waiters: { resolve: () => void; reject: (error: unknown) => void }[] };
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly empty: () => B,
    private readonly write: (batch: B) => Promise<void>,
    private readonly lingerMs: number,
  ) {}

  /** Adds to the waiting batch (`fill` changes it); resolves once that batch is written. */
  add(fill: (batch: B) => void): Promise<void> {
    this.batch ??= { data: this.empty(), waiters: [] };
    fill(this.batch.data);
    const waiters = this.batch.waiters;
    const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.lingerMs);
      // A timer alone never keeps a process alive; shutdown flushes what waits.
      this.timer.unref();
    }
    return done;
  }

  /** Writes the waiting batch now (after the write in progress, if any). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    this.batch = undefined;
    if (!batch) return this.writing;
    this.writing = this.writing.then(async () => {
      try {
        await this.write(batch.data);
        for (const w of batch.waiters) w.resolve();
      } catch (error) {
        for (const w of batch.waiters) w.reject(error);
      }
    });
    return this.writing;
  }
}
