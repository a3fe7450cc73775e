import { IdentifierResult, prepareIdentifierInput } from './identifier-result';

/**
 * UPU S10 postal item ids: two service letters, eight serial digits, a check digit and the
 * ISO country code of the issuing post, e.g. `EC136431858VN`.
 */
export type S10Parts = {
  readonly serviceIndicator: string;
  readonly serial: string;
  readonly checkDigit: string;
  readonly country: string;
};

const S10_SHAPE = /^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$/;
const WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

/**
 * Computes the S10 check digit of an 8-digit serial: weights 8,6,4,2,3,5,9,7;
 * C = 11 − (sum mod 11), where 10 becomes 0 and 11 becomes 5.
 * @throws RangeError when `serial8` is not exactly eight digits.
 */
export function computeS10CheckDigit(serial8: string): number {
  if (!/^\d{8}$/.test(serial8)) throw new RangeError(`S10 serial must be 8 digits, got "${serial8}"`);
  const sum = [...serial8].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i], 0);
  const check = 11 - (sum % 11);
  if (check === 10) return 0;
  if (check === 11) return 5;
  return check;
}

/** Parses a UPU S10 item id, verifying its check digit. Letters are accepted in lower case. */
export function parseS10(input: string): IdentifierResult<S10Parts> {
  const prepared = prepareIdentifierInput(input, 'postal item id');
  if (!prepared.ok) return prepared;
  const text = prepared.text.toUpperCase();
  const match = S10_SHAPE.exec(text);
  if (!match) {
    return {
      ok: false,
      error: `postal item id "${text}" is not UPU S10: expected 2 letters, 8 serial digits, a check digit and a 2-letter country code (e.g. EC136431858VN)`,
    };
  }
  const [, serviceIndicator, serial, checkDigit, country] = match;
  const expected = computeS10CheckDigit(serial);
  if (Number(checkDigit) !== expected) {
    return {
      ok: false,
      error: `check digit of ${serviceIndicator}${serial}?${country} should be ${expected}, got ${checkDigit}`,
    };
  }
  return {
    ok: true,
    value: text,
    normalized: prepared.normalized,
    serviceIndicator,
    serial,
    checkDigit,
    country,
  };
}

/** True when `input` is a UPU S10 item id with a correct check digit. */
export function isValidS10(input: string): boolean {
  return parseS10(input).ok;
}

/** Options of {@link parseItemId}. */
export interface ItemIdOptions {
  /**
   * Accept domestic item codes that are not S10 (some operators issue their own), flagged
   * `not-s10`. An input shaped like S10 must still carry the right check digit: a wrong digit
   * there is far more likely a typo than a domestic code.
   */
  readonly allowNonS10: boolean;
}

/** Domestic, non-S10 codes: 6 to 30 upper-case letters, digits or dashes, starting alphanumeric. */
const DOMESTIC_SHAPE = /^[A-Z0-9][A-Z0-9-]{5,29}$/;

/** Parses the postal item id of a shipment: S10, or (when allowed) a flagged domestic code. */
export function parseItemId(
  input: string,
  options: ItemIdOptions,
): IdentifierResult<Partial<S10Parts> & { readonly flagged?: 'not-s10' }> {
  const s10 = parseS10(input);
  if (s10.ok || !options.allowNonS10) return s10;
  const prepared = prepareIdentifierInput(input, 'postal item id');
  if (!prepared.ok) return prepared;
  const text = prepared.text.toUpperCase();
  if (S10_SHAPE.test(text)) return s10;
  if (!DOMESTIC_SHAPE.test(text)) {
    return {
      ok: false,
      error: `postal item id "${text}" is neither UPU S10 nor a domestic code (6–30 letters, digits or dashes)`,
    };
  }
  return { ok: true, value: text, normalized: prepared.normalized, flagged: 'not-s10' };
}
