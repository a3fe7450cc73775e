import {
  AdministrativeUnit,
  hasValidDates,
  HierarchyProblem,
  isValidOn,
  vietnamDate,
} from './administrative-unit';

const FOREVER = '9999-12-31';

/**
 * Looks units up by code and date and walks the hierarchy. Built from plain data (the agency
 * files and the official lists); {@link validate} reports what is wrong with that data instead
 * of refusing to build, so a loader can show every problem at once.
 */
export class AdministrativeHierarchy {
  private readonly versions = new Map<string, AdministrativeUnit[]>();

  constructor(private readonly units: readonly AdministrativeUnit[]) {
    for (const unit of units) {
      const list = this.versions.get(unit.code) ?? [];
      list.push(unit);
      this.versions.set(unit.code, list);
    }
    for (const list of this.versions.values()) list.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  }

  /**
   * The unit with this code in force at `at` (a `YYYY-MM-DD` day, a timestamp or a Date,
   * read in Vietnam time); without `at`, its latest version.
   */
  get(code: string, at?: string | Date): AdministrativeUnit | undefined {
    const list = this.versions.get(code);
    if (!list) return undefined;
    if (at === undefined) return list[list.length - 1];
    const day = vietnamDate(at);
    return list.find((unit) => isValidOn(unit, day));
  }

  /** The parent of the unit in force at `at` (or of its latest version). */
  parentOf(code: string, at?: string | Date): AdministrativeUnit | undefined {
    const unit = this.get(code, at);
    return unit?.parentCode === undefined ? undefined : this.get(unit.parentCode, at);
  }

  /** The chain of parents from the unit's parent up to the top; stops at a cycle. */
  ancestors(code: string, at?: string | Date): AdministrativeUnit[] {
    const chain: AdministrativeUnit[] = [];
    const seen = new Set([code]);
    let parent = this.parentOf(code, at);
    while (parent && !seen.has(parent.code)) {
      chain.push(parent);
      seen.add(parent.code);
      parent = this.parentOf(parent.code, at);
    }
    return chain;
  }

  /** The units whose parent is `code` and that are in force at `at` (every version without `at`). */
  children(code: string, at?: string | Date): AdministrativeUnit[] {
    const day = at === undefined ? undefined : vietnamDate(at);
    return this.units.filter(
      (unit) => unit.parentCode === code && (day === undefined || isValidOn(unit, day)),
    );
  }

  /** Every problem of the data: bad dates, overlapping duplicates, unknown parents, cycles, orphaned periods. */
  validate(): HierarchyProblem[] {
    const problems: HierarchyProblem[] = [];
    for (const [code, list] of this.versions) {
      for (let i = 1; i < list.length; i++) {
        if ((list[i - 1].validTo ?? FOREVER) > list[i].validFrom) {
          problems.push({
            kind: 'duplicate-code',
            code,
            message: `code ${code} is used by "${list[i - 1].name}" and "${list[i].name}" at the same time (from ${list[i].validFrom})`,
          });
        }
      }
    }
    for (const unit of this.units) {
      if (!hasValidDates(unit)) {
        problems.push({
          kind: 'invalid-dates',
          code: unit.code,
          message: `${unit.code} "${unit.name}": validFrom ${unit.validFrom} and validTo ${unit.validTo ?? '(open)'} are not YYYY-MM-DD dates in order`,
        });
        continue;
      }
      if (unit.parentCode === undefined) continue;
      const parents = this.versions.get(unit.parentCode);
      if (!parents) {
        problems.push({
          kind: 'unknown-parent',
          code: unit.code,
          message: `${unit.code} "${unit.name}" names parent ${unit.parentCode}, which is not in the hierarchy`,
        });
      } else if (!covers(parents, unit.validFrom, unit.validTo ?? FOREVER)) {
        problems.push({
          kind: 'outside-parent-validity',
          code: unit.code,
          message: `${unit.code} "${unit.name}" (${unit.validFrom} – ${unit.validTo ?? 'open'}) exists at a time its parent ${unit.parentCode} does not`,
        });
      }
    }
    return [...problems, ...this.cycles()];
  }

  /** Parent cycles over every version: a cycle in any period is a data error. */
  private cycles(): HierarchyProblem[] {
    const parents = new Map<string, Set<string>>();
    for (const unit of this.units) {
      if (unit.parentCode !== undefined)
        parents.set(unit.code, (parents.get(unit.code) ?? new Set()).add(unit.parentCode));
    }
    const problems: HierarchyProblem[] = [];
    const done = new Set<string>();
    const visit = (code: string, path: string[]): void => {
      if (path.includes(code)) {
        const cycle = [...path.slice(path.indexOf(code)), code];
        problems.push({ kind: 'cycle', code, message: `parent cycle: ${cycle.join(' → ')}` });
        return;
      }
      if (done.has(code)) return;
      for (const parent of parents.get(code) ?? []) visit(parent, [...path, code]);
      done.add(code);
    };
    for (const code of this.versions.keys()) visit(code, []);
    return problems;
  }
}

/** True when the union of the versions' periods covers [from, to) without a gap. */
function covers(versions: readonly AdministrativeUnit[], from: string, to: string): boolean {
  let reached = from;
  for (const version of versions) {
    if (version.validFrom > reached) break;
    const end = version.validTo ?? FOREVER;
    if (end > reached) reached = end;
    if (reached >= to) return true;
  }
  return reached >= to;
}
