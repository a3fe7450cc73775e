import { AGENCY_CODE_PATTERN } from './agency-code';
import { IdentifierResult, prepareIdentifierInput } from './identifier-result';

/**
 * Administrative procedure codes of the national database: `d.dddddd` (e.g. `1.001612`).
 * Localities publish variants with their agency code appended; seen joined by `.` and by `-`
 * (`1.001612.000.00.00.H48`, `1.001612-000.00.00.H48`). Both are accepted and the canonical
 * value always joins with `.`, so the two spellings compare equal.
 */
export type ProcedureCodeParts = {
  /** The national code, `d.dddddd`. */
  readonly baseCode: string;
  /** The appended agency code of a local variant. */
  readonly agencyCode?: string;
};

/** Regular-expression source of the procedure code shape, shared with the JSON Schemas. */
export const PROCEDURE_CODE_PATTERN = `\\d\\.\\d{6}(?:[.-]${AGENCY_CODE_PATTERN})?`;
const PROCEDURE_CODE_SHAPE = new RegExp(`^(\\d\\.\\d{6})(?:[.-](${AGENCY_CODE_PATTERN}))?$`);

/** Parses a procedure code, national or local. */
export function parseProcedureCode(input: string): IdentifierResult<ProcedureCodeParts> {
  const prepared = prepareIdentifierInput(input, 'procedure code');
  if (!prepared.ok) return prepared;
  const text = prepared.text.toUpperCase();
  const match = PROCEDURE_CODE_SHAPE.exec(text);
  if (!match) {
    return {
      ok: false,
      error: `procedure code "${text}" is not d.dddddd (e.g. 1.001612), optionally followed by "." or "-" and an agency code`,
    };
  }
  const [, baseCode, agencyCode] = match;
  if (agencyCode === undefined)
    return { ok: true, value: baseCode, normalized: prepared.normalized, baseCode };
  return {
    ok: true,
    value: `${baseCode}.${agencyCode}`,
    normalized: prepared.normalized,
    baseCode,
    agencyCode,
  };
}

/** True when `input` is a national or local procedure code. */
export function isValidProcedureCode(input: string): boolean {
  return parseProcedureCode(input).ok;
}
