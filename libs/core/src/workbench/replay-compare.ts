import { redactSecrets } from '../logging';
import { FieldChange, ReplayOutcome } from './workbench-report';

/** One side of a replay: what it yielded, or why it failed. */
export type Side = { ok: true; value: unknown } | { ok: false; error: string };

/** The outcome of one replay and, when the values differ, the fields that do. */
export interface Compared {
  outcome: ReplayOutcome;
  fields: FieldChange[];
  /** Paths (array positions as `[]`) whose value the log's mask hides. */
  masked: string[];
}

/** Runs one side, turning a throw into its message. */
export async function side(run: () => Promise<unknown>): Promise<Side> {
  try {
    // Through JSON, as a body is sent and logged: undefined fields drop out on both sides.
    const value = await run();
    return {
      ok: true,
      value: value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown),
    };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Compares then and now. With `masked: true` "then" is a body read back from the message
 * log, where citizen ids and phone numbers are masked: "now" is masked the same way before
 * comparing, and the fields the mask touched are reported, since a change inside a masked
 * value cannot be seen.
 */
export function compareSides(then: Side, now: Side, masked: boolean): Compared {
  if (!then.ok) return { outcome: now.ok ? 'nowPassing' : 'stillFailing', fields: [], masked: [] };
  if (!now.ok) return { outcome: 'nowFailing', fields: [], masked: [] };
  let current = now.value;
  const hidden: string[] = [];
  if (masked && current !== undefined) {
    current = JSON.parse(redactSecrets(JSON.stringify(current))) as unknown;
    const clear = flatten(now.value);
    for (const [path, value] of flatten(current)) {
      if (clear.get(path) !== value) hidden.push(path.replace(/\[\d+\]/g, '[]'));
    }
  }
  const before = flatten(then.value);
  const after = flatten(current);
  const fields: FieldChange[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(path) !== after.get(path)) {
      fields.push({ path, then: parse(before.get(path)), now: parse(after.get(path)) });
    }
  }
  return { outcome: fields.length ? 'changed' : 'same', fields, masked: [...new Set(hidden)] };
}

/** Leaf paths of a JSON value → the leaf as JSON text (objects and arrays by their members). */
export function flatten(value: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, into));
  } else if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, into);
  } else if (value !== undefined) {
    into.set(prefix || '$', JSON.stringify(value));
  }
  return into;
}

function parse(text: string | undefined): unknown {
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}
