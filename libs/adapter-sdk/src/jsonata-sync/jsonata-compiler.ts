import jsonata from 'jsonata';
import {
  append,
  BUILT_INS,
  createSequence,
  deepEqual,
  isArrayOfNumbers,
  isNumeric,
  isSequence,
  lookup,
  Sequence,
  toBoolean,
  toText,
  Unsupported,
} from './jsonata-values';
import { EvaluationBudget, EvaluationLimits } from './evaluation-budget';

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
 */
export type SyncExpression = (input: unknown) => unknown;

/** A function an expression may call, as registered with JSONata. */
export type MappingFunction = (...args: unknown[]) => unknown;
/** A node of the AST that `jsonata(expression).ast()` returns. */
type Node = { type: string; value?: unknown } & Record<string, unknown>;
type Evaluator = (input: unknown, frame: Frame) => unknown;

class Frame {
  private readonly bindings = new Map<string, unknown>();
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
    this.bindings.set(name, value);
  }
  /** Bound values only: anything else is a JSONata global, which this subset leaves to JSONata. */
  lookup(name: string): unknown {
    if (this.bindings.has(name)) return this.bindings.get(name);
    if (this.parent) return this.parent.lookup(name);
    throw new Unsupported(`variable $${name} before it is bound`);
  }
}

class Lambda {
  constructor(
    readonly params: string[],
    readonly body: Evaluator,
    readonly input: unknown,
    readonly frame: Frame,
  ) {}
}

/** A tail call left for the caller to make (JSONata's trampoline; the result is the same). */
class Thunk {
  constructor(
    readonly call: Evaluator,
    readonly input: unknown,
    readonly frame: Frame,
  ) {}
}

function applyLambda(lambda: Lambda, args: unknown[]): unknown {
  const frame = new Frame(lambda.frame);
  lambda.params.forEach((name, i) => frame.bind(name, args[i]));
  let result = lambda.body(lambda.input, frame);
  while (result instanceof Thunk) result = result.call(result.input, result.frame);
  return result;
}

class CannotCompile extends Error {}

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

function checkKeys(node: Node, extraKeys: string[] = []): void {
  const allowed = NODE_KEYS[node.type];
  if (!allowed) throw new CannotCompile(node.type);
  for (const key of Object.keys(node)) {
    if (node[key] === undefined) continue;
    if (!COMMON_KEYS.includes(key) && !allowed.includes(key) && !extraKeys.includes(key)) {
      throw new CannotCompile(`${node.type} with ${key}`);
    }
  }
}

const NEVER_SEQUENCES = new Set(['string', 'number', 'value', 'binary', 'unary']);

function isOwn(table: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, name);
}

class Compiler {
  /** Names given a value somewhere in the expression (`:=` or a lambda parameter). */
  private readonly bound = new Set<string>();

  constructor(private readonly helpers: Record<string, MappingFunction>) {}

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

  /** The node's value with its filters applied and a singleton sequence collapsed. */
  private collapsing(
    core: Evaluator,
    filters: ((input: unknown, frame: Frame) => unknown)[],
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
        return this.path(node);
      case 'binary':
        return this.binary(node);
      case 'unary':
        if (node.value === '{') return this.objectConstructor(node);
        if (node.value === '[') return this.arrayConstructor(node);
        throw new CannotCompile(`unary ${String(node.value)}`);
      case 'condition':
        return this.condition(node);
      case 'block':
        return this.block(node);
      case 'function':
        return this.call(node);
      case 'lambda': {
        // Only the tail-call thunks JSONata's parser puts in lambda bodies; other lambdas are bound.
        if (node.thunk !== true) throw new CannotCompile('a function as a value');
        const call = this.call(node.body as Node);
        return (input, frame) => new Thunk(call, input, frame);
      }
      default:
        throw new CannotCompile(node.type);
    }
  }

  private variable(name: string): Evaluator {
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

  private path(node: Node): Evaluator {
    const stepNodes = node.steps as Node[];
    const steps = stepNodes.map((step) => ({
      evaluate: this.compile(step, ['stages']),
      stages: ((step.stages as Node[] | undefined) ?? []).map((stage) => this.filter(stage)),
    }));
    const absolute = stepNodes[0].type === 'variable';
    const keepSingletonArray = node.keepSingletonArray === true;
    const general = (input: unknown, frame: Frame) => {
      let sequence: unknown[] = Array.isArray(input) && !absolute ? input : createSequence(input);
      let result: unknown[] = sequence;
      for (let i = 0; i < steps.length; i++) {
        result = evaluateStep(steps[i].evaluate, steps[i].stages, sequence, frame, i === steps.length - 1);
        if (result.length === 0) break;
        sequence = result;
      }
      if (keepSingletonArray) (result as Sequence).keepSingleton = true;
      return result;
    };
    const fields = this.fieldChain(node, stepNodes);
    if (!fields) return general;
    const [first, ...names] = fields;
    return (input, frame) => {
      // Through single objects a field chain is plain property access; at the first array
      // (where sequences start) the general rules take over from the start.
      let value = typeof first === 'string' ? lookup(input, first) : first(input, frame);
      for (let i = 0; value !== undefined && i < names.length; i++) {
        if (Array.isArray(value)) return general(input, frame);
        value = lookup(value, names[i]);
      }
      return Array.isArray(value) && isSequence(value) ? general(input, frame) : value;
    };
  }

  /**
   * The steps of `a.b.c` or `$v.b.c` (no filters, no `[]`) as field names, the first one
   * possibly a variable; null for any other path.
   */
  private fieldChain(node: Node, steps: Node[]): [string | Evaluator, ...string[]] | null {
    const plain = (step: Node) =>
      step.predicate === undefined && step.keepArray === undefined && step.stages === undefined;
    if (!plain(node) || node.keepSingletonArray !== undefined || !steps.every(plain)) return null;
    const [head, ...rest] = steps;
    if (!rest.every((step) => step.type === 'name')) return null;
    const names = rest.map((step) => String(step.value));
    if (head.type === 'name') return [String(head.value), ...names];
    if (head.type !== 'variable' || head.value === '' || head.value === '$') return null;
    return [this.variable(String(head.value)), ...names];
  }

  private filter(stage: Node): (input: unknown, frame: Frame) => unknown {
    if (stage.type !== 'filter') throw new CannotCompile(`stage ${stage.type}`);
    const predicate = stage.expr as Node;
    if (predicate.type === 'number') {
      const wanted = Math.floor(predicate.value as number);
      return (input) => {
        const list: unknown[] = Array.isArray(input) ? input : createSequence(input);
        const item = list[wanted < 0 ? list.length + wanted : wanted];
        if (item === undefined) return createSequence();
        return Array.isArray(item) ? (item as unknown[]) : createSequence(item);
      };
    }
    const test = this.compile(predicate);
    return (input, frame) => {
      const list = Array.isArray(input) ? input : createSequence(input);
      const results = createSequence();
      list.forEach((item, index) => {
        let outcome = test(item, frame);
        if (isNumeric(outcome)) outcome = [outcome];
        if (isArrayOfNumbers(outcome)) {
          for (const wanted of outcome) {
            const at = Math.floor(wanted);
            if ((at < 0 ? list.length + at : at) === index) results.push(item);
          }
        } else if (toBoolean(outcome)) results.push(item);
      });
      return results;
    };
  }

  private binary(node: Node): Evaluator {
    const op = node.value as string;
    const lhs = this.compile(node.lhs as Node);
    const rhs = this.compile(node.rhs as Node);
    switch (op) {
      case 'and':
        return (input, frame) =>
          toBoolean(lhs(input, frame)) === true && toBoolean(rhs(input, frame)) === true;
      case 'or':
        return (input, frame) =>
          toBoolean(lhs(input, frame)) === true || toBoolean(rhs(input, frame)) === true;
      case '=':
      case '!=':
        return (input, frame) => {
          const left = lhs(input, frame);
          const right = rhs(input, frame);
          if (left === undefined || right === undefined) return false;
          return deepEqual(left, right) === (op === '=');
        };
      case '&':
        return (input, frame) => {
          const left = lhs(input, frame);
          const right = rhs(input, frame);
          return (left === undefined ? '' : toText(left)!) + (right === undefined ? '' : toText(right)!);
        };
      default:
        throw new CannotCompile(`operator ${op}`);
    }
  }

  /** `{ "key": value, ... }`, alone or as a path step: JSONata's grouping with literal keys. */
  private objectConstructor(node: Node): Evaluator {
    const pairs = node.lhs as [Node, Node][];
    const keys = pairs.map(([key]) => {
      if (key.type !== 'string' || key.predicate !== undefined || key.keepArray !== undefined) {
        throw new CannotCompile('computed object key');
      }
      return key.value as string;
    });
    if (new Set(keys).size !== keys.length) throw new CannotCompile('repeated object key');
    if (keys.some((key) => key === '_jsonata_lambda' || key === '_jsonata_function' || key === '__proto__')) {
      throw new CannotCompile('reserved object key');
    }
    const values = pairs.map(([, value]) => this.compile(value));
    return (input, frame) => {
      // Every key is a literal, so each one groups all the items (one, unless it is an array).
      let data: unknown = input;
      if (Array.isArray(input)) {
        if (input.length === 0) input.push(undefined);
        data = input[0];
        for (let j = 1; j < input.length; j++) data = append(data, input[j]);
      }
      const result: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = values[i](data, frame);
        if (value !== undefined) result[keys[i]] = value;
      }
      return result;
    };
  }

  private arrayConstructor(node: Node): Evaluator {
    const items = (node.expressions as Node[]).map((item) => ({
      evaluate: this.compile(item),
      nested: item.value === '[',
    }));
    return (input, frame) => {
      const result: unknown[] = [];
      for (const item of items) {
        const value = item.evaluate(input, frame);
        if (value === undefined) continue;
        // `fn.append`: an array's items are added, anything else as one item.
        if (item.nested || !Array.isArray(value)) result.push(value);
        else for (const element of value) result.push(element);
      }
      return result;
    };
  }

  private condition(node: Node): Evaluator {
    const test = this.compile(node.condition as Node);
    const then = this.compile(node.then as Node);
    const otherwise = node.else === undefined ? undefined : this.compile(node.else as Node);
    return (input, frame) => {
      if (toBoolean(test(input, frame))) return then(input, frame);
      return otherwise?.(input, frame);
    };
  }

  private block(node: Node): Evaluator {
    const expressions = node.expressions as Node[];
    const compiled = expressions.map((expression, i) =>
      this.blockItem(expression, i === expressions.length - 1),
    );
    return (input, frame) => {
      const inner = new Frame(frame);
      let result: unknown;
      for (const expression of compiled) result = expression(input, inner);
      return result;
    };
  }

  /** `$name := value` (a lambda only where its value is not the block's result). */
  private blockItem(node: Node, last: boolean): Evaluator {
    if (node.type !== 'bind') return this.compile(node);
    checkKeys(node);
    if (node.predicate !== undefined || node.keepArray !== undefined) throw new CannotCompile('bind');
    const name = String((node.lhs as Node).value);
    if (name === '$' || isOwn(BUILT_INS, name) || isOwn(this.helpers, name))
      throw new CannotCompile('rebinding');
    this.bound.add(name);
    const rhs = node.rhs as Node;
    if (rhs.type === 'lambda') {
      if (last) throw new CannotCompile('a function as a result');
      const lambda = this.lambda(rhs);
      return (input, frame) => frame.bind(name, lambda(input, frame));
    }
    const value = this.compile(rhs);
    return (input, frame) => {
      const result = value(input, frame);
      frame.bind(name, result);
      return result;
    };
  }

  private lambda(node: Node): (input: unknown, frame: Frame) => Lambda {
    checkKeys(node);
    if (node.thunk !== undefined || node.predicate !== undefined || node.keepArray !== undefined) {
      throw new CannotCompile('lambda');
    }
    const params = (node.arguments as Node[]).map((param) => String(param.value));
    for (const name of params) {
      if (name === '$' || isOwn(BUILT_INS, name) || isOwn(this.helpers, name))
        throw new CannotCompile('rebinding');
      this.bound.add(name);
    }
    const body = this.compile(node.body as Node);
    return (input, frame) => new Lambda(params, body, input, frame);
  }

  private call(node: Node): Evaluator {
    const procedure = node.procedure as Node;
    checkKeys(node);
    if (
      procedure.type !== 'variable' ||
      procedure.predicate !== undefined ||
      procedure.keepArray !== undefined
    ) {
      throw new CannotCompile('computed function');
    }
    const name = String(procedure.value);
    const args = (node.arguments as Node[]).map((arg) => {
      if (arg.type === 'lambda') throw new CannotCompile('a function as an argument');
      return this.compile(arg);
    });
    const evaluateArgs = (input: unknown, frame: Frame) => args.map((arg) => arg(input, frame));
    if (this.bound.has(name)) {
      return (input, frame) => {
        const lambda = frame.lookup(name);
        if (!(lambda instanceof Lambda)) throw new Unsupported(`$${name} is not a lambda`);
        return applyLambda(lambda, evaluateArgs(input, frame));
      };
    }
    const native = isOwn(BUILT_INS, name)
      ? BUILT_INS[name]
      : isOwn(this.helpers, name)
        ? this.helpers[name]
        : null;
    if (!native) throw new CannotCompile(`function $${name}`);
    return (input, frame) => native(...evaluateArgs(input, frame));
  }
}

function evaluateStep(
  step: Evaluator,
  stages: ((input: unknown, frame: Frame) => unknown)[],
  input: unknown[],
  frame: Frame,
  lastStep: boolean,
): unknown[] {
  const results = createSequence();
  for (const item of input) {
    let result = step(item, frame);
    for (const stage of stages) result = stage(result, frame);
    if (result !== undefined) results.push(result);
  }
  if (lastStep && results.length === 1 && Array.isArray(results[0]) && !isSequence(results[0])) {
    return results[0] as unknown[];
  }
  const flattened = createSequence();
  for (const result of results) {
    if (!Array.isArray(result) || (result as Sequence).cons) flattened.push(result);
    else for (const value of result) flattened.push(value);
  }
  return flattened;
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
