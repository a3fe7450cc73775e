/** How many groups may run at once, and the most items one group takes. */
export interface GroupCommitOptions {
  maxGroups: number;
  maxSize: number;
}

/**
 * Runs items handed in at the same moment together — a group commit: one transaction (or one
 * query) for many callers, each of whom gets its own result. While `maxGroups` groups are
 * running, new items wait and then go together. When a group fails, each of its items is run
 * again on its own, so one bad item never fails the others; the bad one gets its own error.
 */
export class GroupCommit<I, R> {
  private readonly waiting: { item: I; resolve: (result: R) => void; reject: (error: unknown) => void }[] =
    [];
  private running = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<R[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.start();
    });
  }

  private start(): void {
    while (this.running < this.options.maxGroups && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.options.maxSize);
      this.running++;
      void this.runGroup(group).finally(() => {
        this.running--;
        this.start();
      });
    }
  }

  private async runGroup(group: typeof this.waiting): Promise<void> {
    if (group.length > 1) {
      const results = await this.run(group.map((g) => g.item)).catch(() => undefined);
      if (results) return group.forEach((g, i) => g.resolve(results[i]));
    }
    for (const g of group) {
      try {
        const [result] = await this.run([g.item]);
        g.resolve(result);
      } catch (error) {
        g.reject(error);
      }
    }
  }
}
