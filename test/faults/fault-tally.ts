/** What a fault scenario counts as "completed" for its dossiers. */
export type CompletionMeaning = 'received' | 'completed';

/** The figures one scenario ends with; `lost` and `duplicates` must be 0, `completed` = `dossiers`. */
export interface FaultFigures {
  scenario: string;
  /** Dossiers the bridge accepted (a confirmed publish or a 202) during the scenario. */
  dossiers: number;
  faultsInjected: number;
  /** Accepted dossiers of which the bridge holds no record at the end. */
  lost: number;
  /** Extra filings at an agency plus extra dossier rows for one postal item. */
  duplicates: number;
  /** Dossiers that reached the scenario's completion status after recovery. */
  completed: number;
  completedMeans: CompletionMeaning;
}

/**
 * Counts what one fault scenario did and how it ended, and prints the one-line summary the
 * README's reliability section quotes:
 * `faults <scenario>: dossiers N, faults injected N, lost 0, duplicates 0, completed N`.
 */
export class FaultTally {
  private faults: string[] = [];
  private figures?: Omit<FaultFigures, 'scenario' | 'faultsInjected' | 'completedMeans'>;

  constructor(
    readonly scenario: string,
    readonly completedMeans: CompletionMeaning,
  ) {}

  /** Notes one injected fault (a kill, a restart, a garbage answer...), with what it was. */
  injected(what: string): void {
    this.faults.push(what);
  }

  /** The faults injected so far, in order. */
  get injectedFaults(): readonly string[] {
    return this.faults;
  }

  /** Records how the scenario ended. */
  settle(figures: { dossiers: number; lost: number; duplicates: number; completed: number }): FaultFigures {
    this.figures = figures;
    return this.result()!;
  }

  /** The figures, once settled. */
  result(): FaultFigures | undefined {
    if (!this.figures) return undefined;
    return {
      scenario: this.scenario,
      faultsInjected: this.faults.length,
      completedMeans: this.completedMeans,
      ...this.figures,
    };
  }

  /** The summary line (or a line saying the scenario never settled). */
  summary(): string {
    const r = this.result();
    if (!r) return `faults ${this.scenario}: did not settle (faults injected ${this.faults.length})`;
    return (
      `faults ${r.scenario}: dossiers ${r.dossiers}, faults injected ${r.faultsInjected}, ` +
      `lost ${r.lost}, duplicates ${r.duplicates}, completed ${r.completed} (${r.completedMeans})`
    );
  }

  /** Prints the summary; call it from afterAll so it shows even when an assertion failed. */
  print(): void {
    process.stdout.write(`${this.summary()}\n`);
  }
}
