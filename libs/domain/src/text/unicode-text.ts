/**
 * Vietnamese text must be stored and compared in Unicode NFC: the NFD spelling of "Đà Nẵng"
 * looks identical on screen but has 10 code points instead of 7 and compares different.
 * Every boundary (HTTP body, AMQP message, agency payload, CSV row) passes its data through
 * {@link normalizeDeep} before anything else looks at it.
 */

/**
 * Below U+0300 (the first combining mark) and in Latin Extended Additional (U+1E00–U+1EFF, the
 * precomposed Vietnamese letters such as "ạ", "ễ", "ự") every character is its own NFC form and
 * never composes with or reorders against a neighbour, so strings made only of them —
 * identifiers, codes, ASCII and Vietnamese already in NFC — are returned without asking ICU.
 * Any combining mark or other character sends the whole string to ICU.
 */
const MAY_CHANGE_UNDER_NFC = /[^\u0000-\u02ff\u1e00-\u1eff]/;

/** Returns `s` in Unicode Normalization Form C. */
export function nfc(s: string): string {
  return MAY_CHANGE_UNDER_NFC.test(s) ? s.normalize('NFC') : s;
}

/**
 * Returns a copy of `value` in which every string — values and object keys, at any depth of
 * plain objects and arrays — is NFC-normalised. Other values (numbers, dates, buffers, class
 * instances) are returned as they are. The input is never modified; cycles are preserved.
 */
export function normalizeDeep<T>(value: T): T {
  return normalizeValue(value, new Map()) as T;
}

function normalizeValue(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string') return nfc(value);
  if (value === null || typeof value !== 'object') return value;
  const already = seen.get(value);
  if (already !== undefined) return already;

  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(normalizeValue(item, seen));
    return copy;
  }
  if (!isPlainObject(value)) return value;

  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const key of Object.keys(value)) copy[nfc(key)] = normalizeValue(value[key], seen);
  return copy;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
