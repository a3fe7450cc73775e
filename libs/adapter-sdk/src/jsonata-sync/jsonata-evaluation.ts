import { Unsupported } from './jsonata-values';
import { EvaluationBudget } from './evaluation-budget';

/** A function an expression may call, as registered with JSONata. */
export type MappingFunction = (...args: unknown[]) => unknown;
/** A node of the AST that `jsonata(expression).ast()` returns. */
export type Node = { type: string; value?: unknown } & Record<string, unknown>;
/** A compiled node: its value for an input in a frame of variables. */
export type Evaluator = (input: unknown, frame: Frame) => unknown;
/** A compiled filter stage (`[...]`) applied to a value. */
export type Stage = (input: unknown, frame: Frame) => unknown;

/** The variables of one scope (a block or a lambda call), and the evaluation's budget. */
export class Frame {
  // Two parallel lists, not a Map: a frame holds a handful of names, and a Map per block and
  // per lambda call was a large part of what one evaluation allocates.
  private readonly names: string[] = [];
  private readonly values: unknown[] = [];
  private readonly parent?: Frame;
  /** The budget of the evaluation this frame belongs to, shared by all its frames. */
  readonly budget: EvaluationBudget;
  constructor(parentOrBudget: Frame | EvaluationBudget) {
    if (parentOrBudget instanceof Frame) {
      this.parent = parentOrBudget;
      this.budget = parentOrBudget.budget;
    } else {
      this.budget = parentOrBudget;
    }
  }
  bind(name: string, value: unknown): void {
    const at = this.names.indexOf(name);
    if (at === -1) {
      this.names.push(name);
      this.values.push(value);
    } else this.values[at] = value;
  }
  /** Bound values only: anything else is a JSONata global, which this subset leaves to JSONata. */
  lookup(name: string): unknown {
    const at = this.names.indexOf(name);
    if (at !== -1) return this.values[at];
    if (this.parent) return this.parent.lookup(name);
    throw new Unsupported(`variable $${name} before it is bound`);
  }
}

export class Lambda {
  constructor(
    readonly params: string[],
    readonly body: Evaluator,
    readonly input: unknown,
    readonly frame: Frame,
  ) {}
}

/** A tail call left for the caller to make (JSONata's trampoline; the result is the same). */
export class Thunk {
  constructor(
    readonly call: Evaluator,
    readonly input: unknown,
    readonly frame: Frame,
  ) {}
}

export function applyLambda(lambda: Lambda, args: unknown[]): unknown {
  const frame = new Frame(lambda.frame);
  lambda.params.forEach((name, i) => frame.bind(name, args[i]));
  let result = lambda.body(lambda.input, frame);
  while (result instanceof Thunk) result = result.call(result.input, result.frame);
  return result;
}

/** Thrown while compiling a node outside the subset: the whole expression is left to JSONata. */
export class CannotCompile extends Error {}

/** Every key each kind of node may carry; any other (grouping, focus, sort, ...) is not compiled. */
const COMMON_KEYS = ['type', 'value', 'position', 'predicate', 'keepArray'];
const NODE_KEYS: Record<string, string[]> = {
  string: [],
  number: [],
  value: [],
  name: [],
  variable: [],
  path: ['steps', 'keepSingletonArray'],
  binary: ['lhs', 'rhs'],
  unary: ['expressions', 'lhs'],
  condition: ['condition', 'then', 'else'],
  block: ['expressions'],
  function: ['procedure', 'arguments'],
  lambda: ['arguments', 'body', 'thunk'],
  bind: ['lhs', 'rhs'],
};

export function checkKeys(node: Node, extraKeys: string[] = []): void {
  const allowed = NODE_KEYS[node.type];
  if (!allowed) throw new CannotCompile(node.type);
  for (const key of Object.keys(node)) {
    if (node[key] === undefined) continue;
    if (!COMMON_KEYS.includes(key) && !allowed.includes(key) && !extraKeys.includes(key)) {
      throw new CannotCompile(`${node.type} with ${key}`);
    }
  }
}

export function isOwn(table: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, name);
}

/** What the compilers of paths, operators and functions call back into. */
export interface Compiling {
  /** Names given a value somewhere in the expression (`:=` or a lambda parameter). */
  readonly bound: Set<string>;
  /** The bridge's helper functions, callable as `$name(...)`. */
  readonly helpers: Record<string, MappingFunction>;
  compile(node: Node, extraKeys?: string[]): Evaluator;
  variable(name: string): Evaluator;
  filter(stage: Node): Stage;
}
