/**
 * JSONata's value model, as its reference evaluator (the `jsonata` package) defines it: a
 * result sequence is an array flagged `sequence`, singleton sequences collapse to their item,
 * and the built-in functions coerce as below. Each function here follows the one of the same
 * name in that evaluator; whatever they do not cover throws {@link Unsupported}, so the caller
 * evaluates the expression with JSONata itself instead.
 */

/** A case the synchronous evaluator does not reproduce; the mapping falls back to JSONata. */
export class Unsupported extends Error {
  constructor(what: string) {
    super(`not in the synchronous JSONata subset: ${what}`);
  }
}

export type Sequence = unknown[] & {
  sequence: true;
  keepSingleton?: boolean;
  outerWrapper?: boolean;
  cons?: boolean;
};

export function createSequence(...items: unknown[]): Sequence {
  const sequence = [] as unknown as Sequence;
  sequence.sequence = true;
  if (items.length === 1) sequence.push(items[0]);
  return sequence;
}

export function isSequence(value: unknown): value is Sequence {
  return Array.isArray(value) && (value as Sequence).sequence === true;
}

/** A value the evaluator cannot hand on (a function object) — never produced by the subset. */
function isFunctionValue(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (value === null || typeof value !== 'object') return false;
  const flags = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return flags._jsonata_function === true || flags._jsonata_lambda === true;
}

export function isNumeric(value: unknown): value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  if (!Number.isFinite(value)) throw new Unsupported('a non-finite number');
  return true;
}

export function isArrayOfNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => isNumeric(item));
}

/** A name step: the field of an object, or of every item of an array, flattened. */
export function lookup(input: unknown, key: string): unknown {
  if (Array.isArray(input)) {
    const result = createSequence();
    for (const item of input) {
      const found = lookup(item, key);
      if (found === undefined) continue;
      if (Array.isArray(found)) for (const value of found) result.push(value);
      else result.push(found);
    }
    return result;
  }
  if (
    input !== null &&
    typeof input === 'object' &&
    Object.prototype.hasOwnProperty.call(input, key) &&
    !isFunctionValue(input)
  ) {
    return (input as Record<string, unknown>)[key];
  }
  return undefined;
}

/** `fn.append`: undefined is ignored, everything else is concatenated as arrays. */
export function append(first: unknown, second: unknown): unknown {
  if (first === undefined) return second;
  if (second === undefined) return first;
  const left = Array.isArray(first) ? first : createSequence(first);
  return left.concat(Array.isArray(second) ? second : [second]);
}

/** JSONata's effective boolean value; undefined stays undefined. */
export function toBoolean(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 1) return toBoolean(value[0]);
    return value.length > 1 && value.some((item) => toBoolean(item));
  }
  if (typeof value === 'string') return value.length > 0;
  if (isNumeric(value)) return value !== 0;
  if (value !== null && typeof value === 'object' && !isFunctionValue(value)) {
    return Object.keys(value).length > 0;
  }
  return value === true;
}

/** `$string` and the operand conversion of `&`. */
export function toText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // What JSON.stringify with the replacer below gives for a number, boolean or null.
  if (isNumeric(value)) return String(Number.isInteger(value) ? value : Number(value.toPrecision(15)));
  if (typeof value === 'boolean' || value === null) return String(value);
  if (isFunctionValue(value)) throw new Unsupported('a function as text');
  const subject: unknown =
    Array.isArray(value) && (value as Sequence).outerWrapper ? (value as unknown[])[0] : value;
  return JSON.stringify(subject, (_key, item: unknown) => {
    if (item !== undefined && item !== null && isNumeric(item)) {
      return Number.isInteger(item) ? item : Number(item.toPrecision(15));
    }
    if (item && isFunctionValue(item)) throw new Unsupported('a function as text');
    return item;
  });
}

/** `=`: deep equality; undefined on either side is never equal. */
export function deepEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return false;
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((item, i) => deepEqual(item, right[i]));
  }
  const leftKeys = Object.getOwnPropertyNames(left).sort();
  const rightKeys = Object.getOwnPropertyNames(right).sort();
  if (leftKeys.length !== rightKeys.length) return false;
  if (leftKeys.some((key, i) => key !== rightKeys[i])) return false;
  const l = left as Record<string, unknown>;
  const r = right as Record<string, unknown>;
  return leftKeys.every((key) => deepEqual(l[key], r[key]));
}

/** Built-in functions of the subset, with their signature checks (a mismatch is JSONata's to report). */
export const BUILT_INS: Record<string, (...args: unknown[]) => unknown> = {
  string(...args) {
    if (args.length !== 1) throw new Unsupported('$string without exactly one argument');
    return toText(args[0]);
  },
  exists(...args) {
    if (args.length !== 1) throw new Unsupported('$exists without exactly one argument');
    return args[0] !== undefined;
  },
  join(...args) {
    const [strings, separator] = args;
    if (args.length < 1 || args.length > 2) throw new Unsupported('$join arity');
    if (separator !== undefined && typeof separator !== 'string') throw new Unsupported('$join separator');
    if (strings === undefined) return undefined;
    const list = Array.isArray(strings) ? strings : [strings];
    if (!list.every((item) => typeof item === 'string')) throw new Unsupported('$join of non-strings');
    return list.join(separator ?? '');
  },
  sum(...args) {
    if (args.length !== 1) throw new Unsupported('$sum without exactly one argument');
    const [numbers] = args;
    if (numbers === undefined) return undefined;
    const list: unknown[] = Array.isArray(numbers) ? numbers : [numbers];
    let total = 0;
    for (const item of list) {
      if (typeof item !== 'number') throw new Unsupported('$sum of non-numbers');
      total += item;
    }
    return total;
  },
};
