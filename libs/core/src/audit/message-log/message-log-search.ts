import type { DataSource } from 'typeorm';
import { isUuid } from '../../common/uuid';

/** A stored record, chained or still staged. */
export interface MessageLogRecord {
  /** The chain position; `staged-<n>` for an entry not yet chained. */
  id: string;
  loggedAt: Date;
  /** `postal`, `agency`, or `bridge` for retention anchors. */
  channel: string;
  direction: string;
  agencyCode: string | null;
  dossierId: string | null;
  operation: string;
  correlationId: string | null;
  status: string | null;
  body: string;
  /** False while the entry waits in staging: it has no place and no hash in the chain yet. */
  chained: boolean;
  prevHash: string | null;
  hash: string | null;
}

/** Filters of {@link MessageLogService.search}; all given filters must match. */
export interface MessageLogQuery {
  dossierId?: string;
  agencyCode?: string;
  correlationId?: string;
  /** 1..1000, default 100. */
  limit?: number;
}

/** True for the bridge's dossier ids (UUIDs). */
export function isBridgeId(value: string): boolean {
  return isUuid(value);
}

/**
 * Newest records first, staged entries (newer than anything chained) before chained ones, so
 * a dossier's messages are found the moment their transaction commits.
 */
export async function searchMessageLog(
  dataSource: DataSource,
  query: MessageLogQuery,
): Promise<MessageLogRecord[]> {
  const limit = query.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new Error(`limit must be an integer from 1 to 1000, got ${limit}`);
  if (query.dossierId !== undefined && !isBridgeId(query.dossierId)) {
    throw new Error(`dossierId must be a UUID (the bridge id), got "${query.dossierId}"`);
  }
  const where: string[] = [];
  const params: unknown[] = [];
  const filters: Array<[string, string | undefined]> = [
    ['dossier_id', query.dossierId],
    ['agency_code', query.agencyCode],
    ['correlation_id', query.correlationId],
  ];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = $${params.length}`);
  }
  params.push(limit);
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const fields = 'channel, direction, agency_code, dossier_id, operation, correlation_id, status, body';
  const sql = `
    (SELECT false AS chained, id, staged_at AS logged_at, ${fields}, NULL::text AS prev_hash, NULL::text AS hash
       FROM message_log_staging ${filter} ORDER BY id DESC LIMIT $${params.length})
    UNION ALL
    (SELECT true AS chained, id, logged_at, ${fields}, prev_hash, hash
       FROM message_log ${filter} ORDER BY id DESC LIMIT $${params.length})
    ORDER BY chained, id DESC LIMIT $${params.length}`;
  const rows = await dataSource.query<Array<Record<string, unknown>>>(sql, params);
  return rows.map(toRecord);
}

function toRecord(row: Record<string, unknown>): MessageLogRecord {
  const chained = row.chained === true;
  return {
    id: chained ? String(row.id) : `staged-${String(row.id)}`,
    loggedAt: row.logged_at as Date,
    channel: row.channel as string,
    direction: row.direction as string,
    agencyCode: row.agency_code as string | null,
    dossierId: row.dossier_id as string | null,
    operation: row.operation as string,
    correlationId: row.correlation_id as string | null,
    status: row.status as string | null,
    body: row.body as string,
    chained,
    prevHash: (row.prev_hash as string | null) ?? null,
    hash: (row.hash as string | null) ?? null,
  };
}
