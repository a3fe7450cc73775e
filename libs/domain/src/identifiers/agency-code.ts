import { IdentifierResult, prepareIdentifierInput } from './identifier-result';

/**
 * Agency codes of QCVN 102:2016/BTTTT: `V1V2V3.Z1Z2.Y1Y2.MX1X2`, read right to left from the
 * top of the hierarchy, e.g. `000.00.00.H48` (a provincial People's Committee) or
 * `000.00.53.H48` (a unit under it).
 */
export type AgencyCodeParts = {
  /** V1V2V3: the level-4 unit (000 when the code names a higher level). */
  readonly level4: string;
  /** Z1Z2: the level-3 unit. */
  readonly level3: string;
  /** Y1Y2: the level-2 unit (e.g. a department of the province). */
  readonly level2: string;
  /** MX1X2: the level-1 unit, e.g. `H48`. */
  readonly level1: string;
  /** M: the kind of level-1 unit, e.g. `H`. */
  readonly levelLetter: string;
  /** What the level letter means, when it is one of the well-known ones. */
  readonly levelKind: AgencyLevelKind;
};

export type AgencyLevelKind =
  'ministry' | 'provincial_peoples_committee' | 'provincial_peoples_council' | 'other';

/** The level letters the bridge knows the meaning of; any other upper-case letter is accepted as `other`. */
export const AGENCY_LEVEL_LETTERS: Readonly<Record<string, AgencyLevelKind>> = {
  G: 'ministry',
  H: 'provincial_peoples_committee',
  K: 'provincial_peoples_council',
};

/** Regular-expression source of the agency code shape, shared with the JSON Schemas. */
export const AGENCY_CODE_PATTERN = '\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}';
const AGENCY_CODE_SHAPE = new RegExp(`^(\\d{3})\\.(\\d{2})\\.(\\d{2})\\.(([A-Z])\\d{2})$`);

/** Parses a QCVN 102:2016 agency code. */
export function parseAgencyCode(input: string): IdentifierResult<AgencyCodeParts> {
  const prepared = prepareIdentifierInput(input, 'agency code');
  if (!prepared.ok) return prepared;
  const text = prepared.text.toUpperCase();
  const match = AGENCY_CODE_SHAPE.exec(text);
  if (!match) {
    return {
      ok: false,
      error: `agency code "${text}" does not follow QCVN 102:2016 V1V2V3.Z1Z2.Y1Y2.MX1X2 (3 digits, 2 digits, 2 digits, a letter and 2 digits, e.g. 000.00.00.H48)`,
    };
  }
  const [, level4, level3, level2, level1, levelLetter] = match;
  return {
    ok: true,
    value: text,
    normalized: prepared.normalized,
    level4,
    level3,
    level2,
    level1,
    levelLetter,
    levelKind: AGENCY_LEVEL_LETTERS[levelLetter] ?? 'other',
  };
}

/** True when `input` is a well-formed QCVN 102:2016 agency code. */
export function isValidAgencyCode(input: string): boolean {
  return parseAgencyCode(input).ok;
}
