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
  /** "Now" as it was compared (as the message log would hold it), when it was read through a view. */
  shown?: unknown;
  /** Why "now" could not be read as the agency would receive it, when that made it fail. */
  error?: string;
}

/**
 * How a rebuilt request compares with the body the message log holds: `read` gives what a
 * mapping side yields as fields, both `clear` and as the log stores it (`logged`: secrets
 * redacted, citizen ids and phone numbers masked; the same object when the mask touched
 * nothing). JSON bodies are masked as JSON text; SOAP envelopes and CSV files are masked as
 * their own text, then read.
 */
export interface LogView {
  read(value: unknown): { clear: unknown; logged: unknown };
}

/** The view of JSON request bodies (the `rest` kind). */
export const JSON_LOG_VIEW: LogView = {
  read: (value) => {
    const text = JSON.stringify(value);
    const masked = redactSecrets(text);
    return { clear: value, logged: masked === text ? value : (JSON.parse(masked) as unknown) };
  },
};

/** The view of a body the mapping side yields as text (an envelope, a CSV file), read by `parse`. */
export function textLogView(parse: (text: string) => unknown): LogView {
  return {
    read: (value) => {
      const text = String(value);
      const masked = redactSecrets(text);
      const logged = parse(masked);
      return { clear: masked === text ? logged : parse(text), logged };
    },
  };
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
 * Compares then and now. With a view (or `true`, JSON bodies) "then" is a body read back from
 * the message log, where citizen ids and phone numbers are masked: "now" is masked the same
 * way before comparing, and the fields the mask touched are reported, since a change inside a
 * masked value cannot be seen.
 */
export function compareSides(then: Side, now: Side, masked: boolean | LogView): Compared {
  const view = masked === true ? JSON_LOG_VIEW : masked || undefined;
  if (!now.ok) {
    const outcome = then.ok ? 'nowFailing' : 'stillFailing';
    return { outcome, fields: [], masked: [] };
  }
  let current = now.value;
  const hidden: string[] = [];
  if (view && current !== undefined) {
    try {
      const read = view.read(current);
      current = read.logged;
      if (read.clear !== read.logged) {
        const clear = flatten(read.clear);
        for (const [path, value] of flatten(current)) {
          if (clear.get(path) !== value) hidden.push(path.replace(/\[\d+\]/g, '[]'));
        }
      }
    } catch (error) {
      // What the candidate yields cannot be written as the agency's format (e.g. no CSV row).
      const message = error instanceof Error ? error.message : String(error);
      return { outcome: then.ok ? 'nowFailing' : 'stillFailing', fields: [], masked: [], error: message };
    }
  }
  if (!then.ok) return { outcome: 'nowPassing', fields: [], masked: [], shown: view ? current : undefined };
  const before = flatten(then.value);
  const after = flatten(current);
  const fields: FieldChange[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(path) !== after.get(path)) {
      fields.push({ path, then: parse(before.get(path)), now: parse(after.get(path)) });
    }
  }
  const outcome = fields.length ? 'changed' : 'same';
  return { outcome, fields, masked: [...new Set(hidden)], shown: view ? current : undefined };
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
