/** How long and how deep one evaluation of a mapping may go. */
export interface EvaluationLimits {
  /** Milliseconds of wall time from the start of the evaluation. */
  timeMs: number;
  /** Most expression nodes under evaluation at once (JSONata's own measure of depth). */
  depth: number;
}

/** An evaluation went over its time or its depth; never retried by another evaluator. */
export class BudgetExceeded extends Error {
  constructor(
    readonly limit: 'time' | 'depth',
    readonly value: number,
  ) {
    super(
      limit === 'time'
        ? `evaluation ran longer than ${value} ms`
        : `evaluation nested deeper than ${value} expression levels`,
    );
  }
}

/** Nodes entered between two looks at the clock: reading it on every node would cost more than the node. */
const CLOCK_EVERY = 1024;

/**
 * The budget of one synchronous evaluation: every node entered counts one level of depth
 * while it runs, and every {@link CLOCK_EVERY} nodes the clock is read. The synchronous
 * evaluator has no loops, only recursion through nodes and lambdas, so an evaluation that
 * runs long enters nodes all the time and is stopped within a few microseconds of its deadline.
 */
export class EvaluationBudget {
  depth = 0;
  private entered = 0;
  private readonly deadline: number;

  constructor(private readonly limits: EvaluationLimits) {
    this.deadline = Date.now() + limits.timeMs;
  }

  enter(): void {
    if (++this.depth > this.limits.depth) throw new BudgetExceeded('depth', this.limits.depth);
    if (++this.entered % CLOCK_EVERY === 0 && Date.now() > this.deadline) {
      throw new BudgetExceeded('time', this.limits.timeMs);
    }
  }

  leave(): void {
    this.depth -= 1;
  }
}
