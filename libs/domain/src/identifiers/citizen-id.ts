import { IdentifierResult, prepareIdentifierInput } from './identifier-result';

/**
 * Citizen identity number (số định danh cá nhân / CCCD): 12 digits — 3 for the province of
 * birth registration, 1 for century and sex, 2 for the year of birth, 6 serial. There is no
 * check digit, and province codes are not checked against a list (that list is data).
 */
export type CitizenIdParts = {
  /** First three digits: the province code (e.g. `001` Hà Nội, `048` Đà Nẵng). */
  readonly provinceCode: string;
  /** Fourth digit: even = male, odd = female; 0–1 born 1900s, 2–3 2000s, 4–5 2100s, … */
  readonly centurySexDigit: number;
  readonly sex: 'male' | 'female';
  /** Fifth and sixth digits, as written. */
  readonly birthYearDigits: string;
  /** Full year of birth derived from the century digit and the two year digits. */
  readonly birthYear: number;
};

/** Parses a 12-digit citizen id number. */
export function parseCitizenId(input: string): IdentifierResult<CitizenIdParts> {
  const prepared = prepareIdentifierInput(input, 'citizen id number');
  if (!prepared.ok) return prepared;
  const text = prepared.text;
  if (!/^\d{12}$/.test(text)) {
    return { ok: false, error: `citizen id number must be exactly 12 digits, got "${text}"` };
  }
  const centurySexDigit = Number(text[3]);
  const birthYearDigits = text.slice(4, 6);
  return {
    ok: true,
    value: text,
    normalized: prepared.normalized,
    provinceCode: text.slice(0, 3),
    centurySexDigit,
    sex: centurySexDigit % 2 === 0 ? 'male' : 'female',
    birthYearDigits,
    birthYear: 1900 + Math.floor(centurySexDigit / 2) * 100 + Number(birthYearDigits),
  };
}

/** True when `input` is 12 digits (after trimming and NFKC). */
export function isValidCitizenId(input: string): boolean {
  return parseCitizenId(input).ok;
}
