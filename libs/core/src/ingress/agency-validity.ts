import { AgencyEntity } from '@bridge/persistence';

/** The day in Vietnam (yyyy-MM-dd) of an instant: units begin and end on Vietnamese days. */
export function vietnamDay(at: Date): string {
  return new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** The last unit of a chain of mergers, as far as it is known (bounded: a loop stops it). */
export type SuccessorLookup = (
  code: string,
) => Promise<Pick<AgencyEntity, 'code' | 'name' | 'mergedInto' | 'validTo'> | null>;

/**
 * Why an agency takes no dossiers on `day`, or null when it is in force: before its
 * `validFrom`, or after its `validTo` — then naming the unit that took it over, following the
 * hierarchy's mergers to the one in force (a commune merged in 2025 into one merged again).
 */
export async function agencyValidityRefusal(
  agency: Pick<AgencyEntity, 'code' | 'validFrom' | 'validTo' | 'mergedInto'>,
  day: string,
  successorOf: SuccessorLookup,
): Promise<string | null> {
  if (agency.validFrom && day < agency.validFrom)
    return `agency ${agency.code} takes dossiers only from ${agency.validFrom} (data.agencyCode)`;
  if (!agency.validTo || day <= agency.validTo) return null;
  const ended = `agency ${agency.code} ended on ${agency.validTo} (data.agencyCode)`;
  let next = agency.mergedInto;
  let successor: Awaited<ReturnType<SuccessorLookup>> = null;
  const seen = new Set([agency.code]);
  while (next && !seen.has(next) && seen.size <= 10) {
    seen.add(next);
    successor = (await successorOf(next)) ?? { code: next, name: '', mergedInto: null, validTo: null };
    next = successor.validTo && day > successor.validTo ? successor.mergedInto : null;
  }
  if (!successor) return ended;
  const name = successor.name ? ` (${successor.name})` : '';
  return `${ended}; it was merged into ${successor.code}${name}: send the dossier there`;
}
