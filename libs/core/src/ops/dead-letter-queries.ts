import { DataSource } from 'typeorm';

/** Filters of the dead-letter listings; `state` defaults to open, `all` lists every state. */
export interface DeadLetterListFilter {
  agencyCode?: string;
  errorCode?: string;
  origin?: string;
  state?: 'open' | 'replayed' | 'discarded' | 'all';
}

/** Dead letters that failed alike: one error signature (code + message shape). */
export interface DeadLetterGroupRow {
  signature: string;
  errorCode: string;
  /** The group's agency when grouped by agency; null otherwise or for letters of no agency. */
  agencyCode: string | null;
  /** Every agency with a letter in the group, sorted. */
  agencies: string[];
  count: number;
  firstAt: Date;
  lastAt: Date;
  /** Id of the newest letter of the group: replay it alone to try the fix on one. */
  newestId: string;
  /** The full reason of the newest letter. */
  sampleReason: string;
}

/** How to group: across agencies (the ops view) or per agency (the CLI). */
export interface DeadLetterGrouping {
  byAgency?: boolean;
  /** Most groups returned; the biggest come first. */
  limit?: number;
}

/** The WHERE clause of a filter, with its parameters ($1...). */
export function deadLetterWhere(filter: DeadLetterListFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    clauses.push(clause.replace('?', `$${params.length}`));
  };
  const state = filter.state ?? 'open';
  if (state !== 'all') add('state = ?', state);
  if (filter.agencyCode) add('agency_code = ?', filter.agencyCode);
  if (filter.errorCode) add('error_code = ?', filter.errorCode);
  if (filter.origin) add('origin = ?', filter.origin);
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}

/**
 * The dead letters a filter selects, grouped by error signature (and agency), largest group
 * first, then the most recent: the one grouping the operators' view and the CLI share.
 */
export async function groupDeadLetters(
  dataSource: DataSource,
  filter: DeadLetterListFilter,
  grouping: DeadLetterGrouping = {},
): Promise<DeadLetterGroupRow[]> {
  const { where, params } = deadLetterWhere(filter);
  const limit = grouping.limit === undefined ? '' : `LIMIT ${Math.trunc(grouping.limit)}`;
  const rows = await dataSource.query<Array<Record<string, unknown>>>(
    `SELECT error_signature AS signature, min(error_code) AS error_code,
            ${grouping.byAgency ? 'agency_code' : 'NULL::text AS agency_code'},
            array_remove(array_agg(DISTINCT agency_code), NULL) AS agencies, count(*)::int AS count,
            min(created_at) AS first_at, max(created_at) AS last_at,
            (array_agg(id ORDER BY created_at DESC))[1] AS newest_id,
            (array_agg(reason ORDER BY created_at DESC))[1] AS sample_reason
       FROM dead_letters WHERE ${where}
      GROUP BY error_signature${grouping.byAgency ? ', agency_code, error_code' : ''}
      ORDER BY count(*) DESC, max(created_at) DESC ${limit}`,
    params,
  );
  return rows.map((row) => ({
    signature: String(row.signature),
    errorCode: String(row.error_code),
    agencyCode: (row.agency_code as string | null) ?? null,
    agencies: (row.agencies as string[]).sort(),
    count: Number(row.count),
    firstAt: row.first_at as Date,
    lastAt: row.last_at as Date,
    newestId: String(row.newest_id),
    sampleReason: String(row.sample_reason),
  }));
}

/** One open dead letter. */
export interface OpenDeadLetter {
  id: string;
  origin: string;
  agencyCode: string | null;
  dossierId: string | null;
  operation: string;
  errorCode: string;
  attempts: number;
  reason: string;
  createdAt: Date;
}

/** The dead letters a filter selects one by one, oldest first (at most `limit`). */
export async function listDeadLetters(
  dataSource: DataSource,
  filter: DeadLetterListFilter,
  limit: number,
): Promise<OpenDeadLetter[]> {
  const { where, params } = deadLetterWhere(filter);
  const rows = await dataSource.query<Array<Record<string, unknown>>>(
    `SELECT id, origin, agency_code, dossier_id, operation, error_code,
            jsonb_array_length(attempts) AS attempts, reason, created_at
       FROM dead_letters WHERE ${where} ORDER BY created_at ASC LIMIT ${Math.trunc(limit)}`,
    params,
  );
  return rows.map((row) => ({
    id: row.id as string,
    origin: row.origin as string,
    agencyCode: row.agency_code as string | null,
    dossierId: row.dossier_id as string | null,
    operation: row.operation as string,
    errorCode: row.error_code as string,
    attempts: Number(row.attempts),
    reason: row.reason as string,
    createdAt: row.created_at as Date,
  }));
}
