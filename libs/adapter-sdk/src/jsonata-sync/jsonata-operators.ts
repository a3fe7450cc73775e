import { append, deepEqual, toBoolean, toText } from './jsonata-values';
import { CannotCompile, Compiling, Evaluator, Node } from './jsonata-evaluation';

/** `and`, `or`, `=`, `!=` and `&`. */
export function compileBinary(c: Compiling, node: Node): Evaluator {
  const op = node.value as string;
  const lhs = c.compile(node.lhs as Node);
  const rhs = c.compile(node.rhs as Node);
  switch (op) {
    case 'and':
      return (input, frame) => toBoolean(lhs(input, frame)) === true && toBoolean(rhs(input, frame)) === true;
    case 'or':
      return (input, frame) => toBoolean(lhs(input, frame)) === true || toBoolean(rhs(input, frame)) === true;
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
export function compileObject(c: Compiling, node: Node): Evaluator {
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
  const values = pairs.map(([, value]) => c.compile(value));
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

/** `[a, b, ...]`. */
export function compileArray(c: Compiling, node: Node): Evaluator {
  const items = (node.expressions as Node[]).map((item) => ({
    evaluate: c.compile(item),
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

/** `test ? then : else`. */
export function compileCondition(c: Compiling, node: Node): Evaluator {
  const test = c.compile(node.condition as Node);
  const then = c.compile(node.then as Node);
  const otherwise = node.else === undefined ? undefined : c.compile(node.else as Node);
  return (input, frame) => {
    if (toBoolean(test(input, frame))) return then(input, frame);
    return otherwise?.(input, frame);
  };
}
