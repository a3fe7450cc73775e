import type { DataSource } from 'typeorm';
import { Dossier } from '@bridge/domain';
import { LoggedMessage, StoredDossier } from './replay-source';

/** Records read per query, so a large history never sits in memory at once. */
export const HISTORY_PAGE = 1000;

const FIELDS = 'id, direction, operation, status, dossier_id, body';

/**
 * An agency's logged messages since `since`, newest first, at most `limit`, page by page:
 * entries still staged first (they are the newest), then the chain, read by id downwards.
 * Read-only: plain SELECTs, nothing locked.
 */
export async function* readHistory(
  dataSource: DataSource,
  agencyCode: string,
  since: Date,
  limit: number,
): AsyncGenerator<LoggedMessage[]> {
  let left = limit;
  for (const [table, time] of [
    ['message_log_staging', 'staged_at'],
    ['message_log', 'logged_at'],
  ] as const) {
    let below: string | null = null;
    while (left > 0) {
      const size = Math.min(HISTORY_PAGE, left);
      const rows: Array<Record<string, unknown>> = await dataSource.query(
        `SELECT ${FIELDS}, ${time} AS logged_at FROM ${table}
          WHERE channel = 'agency' AND agency_code = $1 AND ${time} >= $2 AND ($3::bigint IS NULL OR id < $3)
          ORDER BY id DESC LIMIT $4`,
        [agencyCode, since, below, size],
      );
      if (rows.length === 0) break;
      left -= rows.length;
      below = String(rows[rows.length - 1].id);
      yield rows.map((row) => ({
        id: table === 'message_log' ? String(row.id) : `staged-${String(row.id)}`,
        loggedAt: row.logged_at as Date,
        direction: row.direction as string,
        operation: row.operation as string,
        status: row.status as string | null,
        dossierId: row.dossier_id as string | null,
        body: row.body as string,
      }));
      if (rows.length < size) break;
    }
  }
}

/** The dossiers the messages name, in one query. */
export async function readDossiers(
  dataSource: DataSource,
  ids: readonly string[],
): Promise<Map<string, StoredDossier>> {
  if (ids.length === 0) return new Map();
  const rows: Array<Record<string, unknown>> = await dataSource.query(
    `SELECT id, agency_dossier_code, result_item_id, snapshot FROM dossiers WHERE id = ANY($1::uuid[])`,
    [[...new Set(ids)]],
  );
  return new Map(
    rows.map((row) => [
      row.id as string,
      {
        id: row.id as string,
        agencyDossierCode: row.agency_dossier_code as string | null,
        resultItemId: row.result_item_id as string | null,
        snapshot: row.snapshot as Dossier,
      },
    ]),
  );
}
