/** Something that chains staged message-log entries; {@link MessageLogService} is one. */
export interface StagedEntryChainer {
  chainPending(limit?: number): Promise<number>;
}

/** Options of {@link MessageLogChainer}. */
export interface MessageLogChainerOptions {
  /** Entries chained per transaction (default 500). */
  batchSize?: number;
  /** Pause between looks when nothing is staged, and after an error (default 200 ms). */
  idleMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The background loop that moves staged message-log entries into the hash chain, off the
 * business transactions. Runs in every worker process; several at once are safe (the chain
 * lock and `SKIP LOCKED`). A full batch is followed at once by the next; otherwise it sleeps
 * `idleMs` or until {@link wake}. `stop` chains what is staged before returning.
 */
export class MessageLogChainer {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private readonly batchSize: number;
  private readonly idleMs: number;

  constructor(
    private readonly log: StagedEntryChainer,
    private readonly options: MessageLogChainerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.idleMs = options.idleMs ?? 200;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Looks for staged entries now instead of at the end of the idle pause. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops the loop; chains what is staged first unless `flush` is false. */
  async stop({ flush = true }: { flush?: boolean } = {}): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    if (flush) while ((await this.log.chainPending(this.batchSize)) >= this.batchSize);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let chained = 0;
      try {
        chained = await this.log.chainPending(this.batchSize);
      } catch (error) {
        // The database is away: the entries stay staged and are chained on a later pass.
        this.options.onError?.(error);
      }
      if (chained < this.batchSize) await this.sleep(this.idleMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
