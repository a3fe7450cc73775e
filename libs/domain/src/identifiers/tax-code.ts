import { parseCitizenId } from './citizen-id';
import { IdentifierResult, prepareIdentifierInput } from './identifier-result';

/**
 * Tax codes (mã số thuế, MST):
 * - `enterprise`: 10 digits, the tenth a check digit over the first nine;
 * - `branch`: the parent's 10 digits and a 3-digit branch number, `XXXXXXXXXX-NNN`
 *   (accepted without the dash; the canonical value has it);
 * - `personal`: since 1 July 2025 a person's 12-digit citizen id number is their tax code.
 *
 * Check digit: weights 31,29,23,19,17,13,7,5,3 over the first nine digits,
 * check = 10 − (sum mod 11). When sum mod 11 is 0 the check would be 10, which is not a digit:
 * such nine-digit prefixes are never issued, so codes built on them are refused. (The value
 * can never be 11, since sum mod 11 ≥ 0.) Serial `0000000` and branch `000` are refused too.
 */
export type TaxCodeParts = {
  readonly kind: 'enterprise' | 'branch' | 'personal';
  /** The 10-digit code of the enterprise (for a branch: its parent). Absent for `personal`. */
  readonly enterpriseCode?: string;
  /** The 3-digit branch number. */
  readonly branch?: string;
};

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/**
 * Computes the MST check digit of the first nine digits, or `null` when the rule yields 10
 * (no digit: the prefix is not issued).
 * @throws RangeError when `first9` is not nine digits.
 */
export function computeTaxCodeCheckDigit(first9: string): number | null {
  if (!/^\d{9}$/.test(first9)) throw new RangeError(`tax code prefix must be 9 digits, got "${first9}"`);
  const sum = [...first9].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i], 0);
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

/** Parses a tax code in any of its three forms. */
export function parseTaxCode(input: string): IdentifierResult<TaxCodeParts> {
  const prepared = prepareIdentifierInput(input, 'tax code');
  if (!prepared.ok) return prepared;
  const text = prepared.text;
  const { normalized } = prepared;

  if (/^\d{12}$/.test(text)) {
    const citizen = parseCitizenId(text);
    return citizen.ok ? { ok: true, value: citizen.value, normalized, kind: 'personal' } : citizen;
  }
  const match = /^(\d{10})(?:-?(\d{3}))?$/.exec(text);
  if (!match) {
    return {
      ok: false,
      error: `tax code "${text}" must be 10 digits, 13 digits for a branch (XXXXXXXXXX-NNN) or a 12-digit citizen id number`,
    };
  }
  const [, enterpriseCode, branch] = match;
  const problem = enterpriseProblem(enterpriseCode);
  if (problem) return { ok: false, error: problem };
  if (branch === undefined)
    return { ok: true, value: enterpriseCode, normalized, kind: 'enterprise', enterpriseCode };
  if (branch === '000') return { ok: false, error: `branch number of tax code "${text}" must not be 000` };
  return {
    ok: true,
    value: `${enterpriseCode}-${branch}`,
    normalized,
    kind: 'branch',
    enterpriseCode,
    branch,
  };
}

/** True when `input` is a valid tax code of any form. */
export function isValidTaxCode(input: string): boolean {
  return parseTaxCode(input).ok;
}

function enterpriseProblem(code: string): string | undefined {
  if (code.slice(2, 9) === '0000000') return `tax code "${code}" has serial 0000000, which is never issued`;
  const expected = computeTaxCodeCheckDigit(code.slice(0, 9));
  if (expected === null) {
    return `tax code "${code}" cannot be valid: the check rule gives 10 for ${code.slice(0, 9)}, so no such code is issued`;
  }
  if (Number(code[9]) !== expected) {
    return `check digit of tax code ${code.slice(0, 9)}? should be ${expected}, got ${code[9]}`;
  }
  return undefined;
}
