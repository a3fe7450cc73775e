/**
 * What every identifier parser returns: the canonical value and its parts, or a message that
 * names the rule the input broke — never an exception.
 */
export type IdentifierResult<Parts extends object = object> =
  | ({
      readonly ok: true;
      /** The canonical form: trimmed, NFKC-normalised, upper-case where the format is. */
      readonly value: string;
      /** True when trimming or NFKC (full-width digits and letters) changed the input. */
      readonly normalized: boolean;
    } & Parts)
  | { readonly ok: false; readonly error: string };

/** The failure branch of {@link IdentifierResult}. */
export type IdentifierError = Extract<IdentifierResult, { ok: false }>;

/**
 * Prepares raw input the same way for every identifier: NFKC turns full-width digits and
 * letters (common when codes are typed with a Vietnamese or East-Asian IME) into ASCII, and
 * surrounding whitespace is dropped. Non-strings are reported rather than coerced.
 */
export function prepareIdentifierInput(
  input: unknown,
  what: string,
): { ok: true; text: string; normalized: boolean } | IdentifierError {
  if (typeof input !== 'string') return { ok: false, error: `${what} must be a string, got ${typeof input}` };
  const text = input.normalize('NFKC').trim();
  if (text === '') return { ok: false, error: `${what} is empty` };
  return { ok: true, text, normalized: text !== input };
}
