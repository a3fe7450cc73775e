import jsonata from 'jsonata';
import { createSequence, isSequence, lookup, Unsupported } from './jsonata-values';
import { EvaluationBudget, EvaluationLimits } from './evaluation-budget';
import {
  CannotCompile,
  checkKeys,
  Compiling,
  Evaluator,
  Frame,
  Lambda,
  MappingFunction,
  Node,
  Stage,
  Thunk,
} from './jsonata-evaluation';
import { compileBlock, compileCall } from './jsonata-functions';
import { compileArray, compileBinary, compileCondition, compileObject } from './jsonata-operators';
import { compileFilter, compilePath } from './jsonata-paths';

export type { MappingFunction } from './jsonata-evaluation';

/**
 * A synchronous evaluator for the part of JSONata that agency mappings use: paths, filters,
 * object and array constructors, conditions, `=`, `!=`, `&`, `and`, `or`, blocks with `:=`,
 * lambdas, and the functions `$string`, `$join`, `$exists`, `$sum` plus the bridge's helpers.
 *
 * The `jsonata` package evaluates every node through a promise, which makes a mapping cost
 * tens of microseconds; agencies call the same few mappings on every request. This evaluator
 * walks the same AST (`jsonata(expression).ast()`) with the reference evaluator's rules, step
 * for step, so results are the same values (objects are plain objects where JSONata's have no
 * prototype; the mapping engine copies both alike). An expression with anything else compiles
 * to null, and a case met at run time that it does not reproduce (a type error, a function
 * used as a value, a variable it cannot see) throws {@link Unsupported}: the caller then
 * evaluates with JSONata.
 *
 * The node kinds are compiled by concern: paths and filters (`jsonata-paths.ts`), operators,
 * constructors and conditions (`jsonata-operators.ts`), blocks, lambdas and function calls
 * (`jsonata-functions.ts`); the values, frames and lambdas they share are in
 * `jsonata-evaluation.ts`.
 */
export type SyncExpression = (input: unknown) => unknown;

const NEVER_SEQUENCES = new Set(['string', 'number', 'value', 'binary', 'unary']);

class Compiler implements Compiling {
  readonly bound = new Set<string>();

  constructor(readonly helpers: Record<string, MappingFunction>) {}

  compile(node: Node, extraKeys: string[] = []): Evaluator {
    checkKeys(node, extraKeys);
    const core = this.core(node);
    const filters = ((node.predicate as Node[] | undefined) ?? []).map((stage) => this.filter(stage));
    const keepArray = node.keepArray === true;
    const evaluate = this.collapsing(core, filters, keepArray, NEVER_SEQUENCES.has(node.type));
    // Every node counts against the evaluation's budget, as each does in JSONata.
    return (input, frame) => {
      frame.budget.enter();
      const result = evaluate(input, frame);
      frame.budget.leave();
      return result;
    };
  }

  filter(stage: Node): Stage {
    return compileFilter(this, stage);
  }

  variable(name: string): Evaluator {
    if (name === '') {
      return (input) => (isSequence(input) && input.outerWrapper ? input[0] : input);
    }
    if (name === '$') return (_input, frame) => frame.lookup('$');
    if (!this.bound.has(name)) throw new CannotCompile(`free variable $${name}`);
    return (_input, frame) => {
      const value = frame.lookup(name);
      if (value instanceof Lambda) throw new Unsupported('a function used as a value');
      return value;
    };
  }

  /** The node's value with its filters applied and a singleton sequence collapsed. */
  private collapsing(
    core: Evaluator,
    filters: Stage[],
    keepArray: boolean,
    neverSequence: boolean,
  ): Evaluator {
    // Literals, operators and constructors never yield a sequence: nothing to collapse.
    if (filters.length === 0 && !keepArray && neverSequence) return core;
    return (input, frame) => {
      let result = core(input, frame);
      for (const filter of filters) result = filter(result, frame);
      if (result && isSequence(result)) {
        if (keepArray) result.keepSingleton = true;
        if (result.length === 0) return undefined;
        if (result.length === 1 && !result.keepSingleton) return result[0];
      }
      return result;
    };
  }

  private core(node: Node): Evaluator {
    switch (node.type) {
      case 'string':
      case 'number':
      case 'value': {
        const value: unknown = node.value;
        return () => value;
      }
      case 'name': {
        const key = String(node.value);
        return (input) => lookup(input, key);
      }
      case 'variable':
        return this.variable(String(node.value));
      case 'path':
        return compilePath(this, node);
      case 'binary':
        return compileBinary(this, node);
      case 'unary':
        if (node.value === '{') return compileObject(this, node);
        if (node.value === '[') return compileArray(this, node);
        throw new CannotCompile(`unary ${String(node.value)}`);
      case 'condition':
        return compileCondition(this, node);
      case 'block':
        return compileBlock(this, node);
      case 'function':
        return compileCall(this, node);
      case 'lambda': {
        // Only the tail-call thunks JSONata's parser puts in lambda bodies; other lambdas are bound.
        if (node.thunk !== true) throw new CannotCompile('a function as a value');
        const call = compileCall(this, node.body as Node);
        return (input, frame) => new Thunk(call, input, frame);
      }
      default:
        throw new CannotCompile(node.type);
    }
  }
}

/**
 * Compiles `expression` for synchronous evaluation, or returns null when it uses anything
 * outside the subset. Each evaluation throws {@link BudgetExceeded} past `limits`. `helpers` are the functions registered with JSONata under the same names;
 * they must be synchronous and free of side effects, since a failed run is repeated by JSONata.
 */
export function compileSync(
  expression: jsonata.Expression,
  helpers: Record<string, MappingFunction>,
  limits: EvaluationLimits,
): SyncExpression | null {
  let root: Evaluator;
  try {
    root = new Compiler(helpers).compile(expression.ast() as unknown as Node);
  } catch (error) {
    if (error instanceof CannotCompile) return null;
    throw error;
  }
  return (input) => {
    const frame = new Frame(new EvaluationBudget(limits));
    frame.bind('$', input);
    let context = input;
    if (Array.isArray(input) && !isSequence(input)) {
      const wrapper = createSequence(input);
      wrapper.outerWrapper = true;
      context = wrapper;
    }
    return root(context, frame);
  };
}
