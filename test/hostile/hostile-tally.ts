/**
 * Counts what a hostile-input suite threw at the bridge and how it was answered, and prints
 * the one-line summary an operator reads in the test log:
 * `hostile <area>: N bad inputs tried, N refused cleanly, 0 crashes, 0 half-applied`.
 */
export class HostileTally {
  private tried = 0;
  private refused = 0;
  private crashes = 0;
  private halfApplied = 0;
  private readonly problems: string[] = [];

  constructor(readonly area: string) {}

  /**
   * Records one bad input. `clean` says it was refused the way the contract promises (a 4xx,
   * a SOAP fault, a quarantine with its reason); `crashed` that the bridge answered 5xx or
   * threw; `halfApplied` that stored state changed although the input was refused.
   */
  record(label: string, outcome: { clean: boolean; crashed?: boolean; halfApplied?: boolean }): void {
    this.tried += 1;
    if (outcome.clean && !outcome.crashed && !outcome.halfApplied) this.refused += 1;
    else this.problems.push(label);
    if (outcome.crashed) this.crashes += 1;
    if (outcome.halfApplied) this.halfApplied += 1;
  }

  /** The counts so far, for assertions. */
  counts(): { tried: number; refused: number; crashes: number; halfApplied: number; problems: string[] } {
    return {
      tried: this.tried,
      refused: this.refused,
      crashes: this.crashes,
      halfApplied: this.halfApplied,
      problems: [...this.problems],
    };
  }

  /** The summary line. */
  summary(): string {
    const tail = this.problems.length > 0 ? ` (not clean: ${this.problems.join(', ')})` : '';
    return `hostile ${this.area}: ${this.tried} bad inputs tried, ${this.refused} refused cleanly, ${this.crashes} crashes, ${this.halfApplied} half-applied${tail}`;
  }

  /** Prints the summary; call from afterAll. */
  print(): void {
    console.log(this.summary());
  }
}

/** Resident set size in MB, after a GC when the runner exposes one, so growth is not noise. */
export function residentMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return process.memoryUsage().rss / (1024 * 1024);
}
