import { AGENCY_CODE_PATTERN } from './agency-code';
import { IdentifierResult, prepareIdentifierInput } from './identifier-result';

/**
 * The agency's own dossier code. Circular 01/2018/TT-VPCP sets `<agency code>-YYMMDD-NNNN`
 * (e.g. `000.00.53.H48-220921-0099`), but newer portals issue other shapes
 * (e.g. `G09.20-20260609-0092637`). A code the agency issued is never refused: a non-standard
 * one is accepted with `standard: false`, so it can be flagged and still stored.
 */
export type DossierCodeParts =
  | {
      readonly standard: true;
      readonly agencyCode: string;
      /** Receipt date from YYMMDD, as `20YY-MM-DD`. */
      readonly date: string;
      readonly serial: string;
    }
  | { readonly standard: false };

/** Longest code accepted: longer ones are far more likely garbage than a code. */
export const MAX_DOSSIER_CODE_LENGTH = 64;

// The serial takes 4 digits or more: busy agencies run past 9999 a day.
const STANDARD_SHAPE = new RegExp(`^(${AGENCY_CODE_PATTERN})-(\\d{2})(\\d{2})(\\d{2})-(\\d{4,})$`);
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** Parses an agency dossier code, recognising the standard form and accepting any other sane one. */
export function parseDossierCode(input: string): IdentifierResult<DossierCodeParts> {
  const prepared = prepareIdentifierInput(input, 'dossier code');
  if (!prepared.ok) return prepared;
  const text = prepared.text;
  if (CONTROL_CHARACTERS.test(text)) return { ok: false, error: 'dossier code contains control characters' };
  if (text.length > MAX_DOSSIER_CODE_LENGTH) {
    return {
      ok: false,
      error: `dossier code is ${text.length} characters long; at most ${MAX_DOSSIER_CODE_LENGTH} are accepted`,
    };
  }
  const base = { ok: true as const, value: text, normalized: prepared.normalized };
  const match = STANDARD_SHAPE.exec(text);
  if (!match) return { ...base, standard: false };
  const [, agencyCode, yy, mm, dd, serial] = match;
  const date = `20${yy}-${mm}-${dd}`;
  if (!isCalendarDate(date)) return { ...base, standard: false };
  return { ...base, standard: true, agencyCode, date, serial };
}

/** True when the code would be accepted (standard or not). */
export function isValidDossierCode(input: string): boolean {
  return parseDossierCode(input).ok;
}

function isCalendarDate(isoDate: string): boolean {
  const parsed = new Date(`${isoDate}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === isoDate;
}
