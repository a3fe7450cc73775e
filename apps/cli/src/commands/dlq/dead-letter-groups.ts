import { DataSource } from 'typeorm';
import { groupDeadLetters, listDeadLetters, OpenDeadLetter } from '@bridge/core';

export { OpenDeadLetter } from '@bridge/core';

/** Open dead letters that failed alike (same agency, error code and signature). */
export interface DeadLetterGroup {
  agencyCode: string | null;
  errorCode: string;
  signature: string;
  count: number;
  oldest: Date;
  newest: Date;
  /** Id of the newest letter of the group: replay it alone to try the fix on one. */
  newestId: string;
  /** The full reason of the newest letter. */
  sampleReason: string;
}

/** Filters of `dlq list`; all given ones must match (open letters only). */
export interface DeadLetterListFilter {
  agencyCode?: string;
  errorCode?: string;
}

/** Open dead letters grouped by agency and signature, largest group first. */
export async function deadLetterGroups(
  dataSource: DataSource,
  filter: DeadLetterListFilter,
): Promise<DeadLetterGroup[]> {
  const groups = await groupDeadLetters(dataSource, { ...filter, state: 'open' }, { byAgency: true });
  return groups.map((g) => ({
    agencyCode: g.agencyCode,
    errorCode: g.errorCode,
    signature: g.signature,
    count: g.count,
    oldest: g.firstAt,
    newest: g.lastAt,
    newestId: g.newestId,
    sampleReason: g.sampleReason,
  }));
}

/** Open dead letters one by one, oldest first (at most `limit`). */
export function openDeadLetters(
  dataSource: DataSource,
  filter: DeadLetterListFilter,
  limit: number,
): Promise<OpenDeadLetter[]> {
  return listDeadLetters(dataSource, { ...filter, state: 'open' }, limit);
}
