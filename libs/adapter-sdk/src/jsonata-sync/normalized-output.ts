import { nfc, normalizeDeep } from '@bridge/domain';

/** Past this depth or this many nodes the check gives up (a cycle, a large shared graph). */
const MAX_DEPTH = 64;
const MAX_NODES = 10_000;
/** The flags the evaluator puts on its sequences; normalizeDeep's copy drops them. */
const SEQUENCE_FLAGS = ['sequence', 'keepSingleton', 'outerWrapper', 'cons'];

/**
 * Whether `value` is already what {@link normalizeDeep} would make of it, up to object identity:
 * every string and key in NFC, plain objects with Object.prototype (no `__proto__` key, no
 * symbol keys), arrays without sequence flags. Class instances count as done, since
 * normalizeDeep hands them on as they are.
 */
function isNormal(value: unknown, depth: number, budget: { nodes: number }): boolean {
  if (typeof value === 'string') return nfc(value) === value;
  if (value === null || typeof value !== 'object') return true;
  if (depth > MAX_DEPTH || ++budget.nodes > MAX_NODES) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype) return false;
    for (const flag of SEQUENCE_FLAGS) if (Object.prototype.hasOwnProperty.call(value, flag)) return false;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !isNormal(value[i], depth + 1, budget)) return false;
    }
    return true;
  }
  if (proto === null) return false;
  if (proto !== Object.prototype) return true;
  if (Object.getOwnPropertySymbols(value).length > 0) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    if (key === '__proto__' || nfc(key) !== key) return false;
    if (!isNormal(record[key], depth + 1, budget)) return false;
  }
  return true;
}

/**
 * The synchronous evaluator's output in NFC. Its objects are all new or come from the input's
 * own normalized copy, so when nothing in it would change, copying it again (a copy per
 * mapping, the larger part of a small mapping's cost) gives the same value; anything that
 * would change, or that the check cannot see through, goes to normalizeDeep.
 */
export function normalizedOutput<T>(output: T): T {
  return isNormal(output, 0, { nodes: 0 }) ? output : normalizeDeep(output);
}
