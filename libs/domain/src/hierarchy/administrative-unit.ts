/**
 * The administrative hierarchy is data with validity dates: the pilot's city → district →
 * ward/commune and, since 1 July 2025, province → commune both live in one list, and a unit
 * closed by a reform is still found for dossiers dated before the change.
 */

/** Levels of the hierarchy; `department` covers the agencies under a province or district. */
export const ADMINISTRATIVE_LEVELS = ['province', 'district', 'commune', 'department'] as const;
export type AdministrativeLevel = (typeof ADMINISTRATIVE_LEVELS)[number];

/** One version of one unit. A code may have several versions with disjoint validity. */
export interface AdministrativeUnit {
  /** Province codes have 2 digits, communes 5; agencies use their QCVN 102 code. */
  readonly code: string;
  readonly name: string;
  readonly level: AdministrativeLevel;
  /** The unit this one belongs to during its validity; absent for a top-level unit. */
  readonly parentCode?: string;
  /** First day the unit exists, `YYYY-MM-DD`. */
  readonly validFrom: string;
  /** First day the unit no longer exists (exclusive), `YYYY-MM-DD`; absent while it exists. */
  readonly validTo?: string;
}

/** Something wrong in a list of units. */
export interface HierarchyProblem {
  readonly kind: 'invalid-dates' | 'duplicate-code' | 'unknown-parent' | 'cycle' | 'outside-parent-validity';
  readonly code: string;
  readonly message: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Vietnam keeps UTC+7 all year: a date "in force" is the calendar day in Asia/Ho_Chi_Minh. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * The calendar day in Vietnam of a moment: a `YYYY-MM-DD` string is taken as it is, a
 * timestamp or Date is converted to Asia/Ho_Chi_Minh (UTC+7).
 * @throws RangeError for anything that is not a date.
 */
export function vietnamDate(at: string | Date): string {
  if (typeof at === 'string' && ISO_DATE.test(at)) return at;
  const time = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(time)) throw new RangeError(`not a date: ${String(at)}`);
  return new Date(time + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** True when `unit` exists on `day` (`YYYY-MM-DD`). */
export function isValidOn(unit: Pick<AdministrativeUnit, 'validFrom' | 'validTo'>, day: string): boolean {
  return unit.validFrom <= day && (unit.validTo === undefined || day < unit.validTo);
}

/** True when the unit's dates are well-formed and it does not end before it starts. */
export function hasValidDates(unit: Pick<AdministrativeUnit, 'validFrom' | 'validTo'>): boolean {
  if (!isIsoDay(unit.validFrom)) return false;
  if (unit.validTo === undefined) return true;
  return isIsoDay(unit.validTo) && unit.validFrom < unit.validTo;
}

function isIsoDay(value: string): boolean {
  return ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}
