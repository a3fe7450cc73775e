import { DataSource } from 'typeorm';

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

/** Filters of the dead-letter listings; all given ones must match. */
export interface DeadLetterListFilter {
  agencyCode?: string;
  errorCode?: string;
}

function where(filter: DeadLetterListFilter): { sql: string; params: string[] } {
  const clauses = ["state = 'open'"];
  const params: string[] = [];
  if (filter.agencyCode) clauses.push(`agency_code = $${params.push(filter.agencyCode)}`);
  if (filter.errorCode) clauses.push(`error_code = $${params.push(filter.errorCode)}`);
  return { sql: clauses.join(' AND '), params };
}

/** Open dead letters grouped by signature, largest group first. */
export async function deadLetterGroups(
  dataSource: DataSource,
  filter: DeadLetterListFilter,
): Promise<DeadLetterGroup[]> {
  const { sql, params } = where(filter);
  const rows = await dataSource.query<Array<Record<string, unknown>>>(
    `SELECT agency_code, error_code, error_signature, count(*)::int AS count,
            min(created_at) AS oldest, max(created_at) AS newest,
            (array_agg(id ORDER BY created_at DESC))[1] AS newest_id,
            (array_agg(reason ORDER BY created_at DESC))[1] AS sample_reason
       FROM dead_letters WHERE ${sql}
      GROUP BY agency_code, error_code, error_signature
      ORDER BY count(*) DESC, max(created_at) DESC`,
    params,
  );
  return rows.map((row) => ({
    agencyCode: row.agency_code as string | null,
    errorCode: row.error_code as string,
    signature: row.error_signature as string,
    count: row.count as number,
    oldest: row.oldest as Date,
    newest: row.newest as Date,
    newestId: row.newest_id as string,
    sampleReason: row.sample_reason as string,
  }));
}

/** Open dead letters one by one, oldest first (at most `limit`). */
export async function openDeadLetters(
  dataSource: DataSource,
  filter: DeadLetterListFilter,
  limit: number,
): Promise<OpenDeadLetter[]> {
  const { sql, params } = where(filter);
  const rows = await dataSource.query<Array<Record<string, unknown>>>(
    `SELECT id, origin, agency_code, dossier_id, operation, error_code,
            jsonb_array_length(attempts) AS attempts, reason, created_at
       FROM dead_letters WHERE ${sql} ORDER BY created_at ASC LIMIT ${Math.trunc(limit)}`,
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
