import { DataSource, EntityManager } from 'typeorm';
import { StatusLookupSettings } from '@bridge/adapter-sdk';
import { DossierStatus } from '@bridge/domain';

/**
 * The statuses in which the agency holds the dossier and may move it on: filed and not final,
 * not waiting on the post (from `result_ready` on, the post has the next move).
 */
export const LOOKED_UP_STATUSES: readonly DossierStatus[] = [
  'submitted',
  'received',
  'processing',
  'supplement_requested',
];

/** A dossier claimed for a look-up in this round. */
export interface ClaimedLookup {
  dossierId: string;
  agencyDossierCode: string | null;
  itemId: string | null;
  status: DossierStatus;
  lastStatusCode: string | null;
  changesSeen: number;
}

/** What a look-up found, to be written back to the schedule. */
export interface LookupRecord {
  dossierId: string;
  /** The agency's code now; null when the look-up failed or found nothing (kept as it was). */
  statusCode: string | null;
  changed: boolean;
}

/**
 * The look-up schedule in PostgreSQL (table `status_lookups`). Whichever worker runs a round
 * claims due rows with `FOR UPDATE SKIP LOCKED` and moves them a round ahead in the same
 * statement, so each dossier is looked up by one worker per round and a worker that dies
 * mid-round only delays its dossiers to the next one.
 */
export class StatusLookupSchedule {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Enrols the agency's open dossiers that have no row yet, each at a random point of the
   * first interval (so a thousand filings in one minute are not looked up in one second), and
   * drops the rows of dossiers that are no longer open. Returns how many dossiers it enrolled.
   */
  async enrol(agencyCode: string, settings: StatusLookupSettings): Promise<number> {
    await this.dataSource.query(
      `DELETE FROM status_lookups s USING dossiers d
       WHERE s.agency_code = $1 AND d.id = s.dossier_id
         AND (d.status <> ALL($2::text[]) OR d.agency_code <> $1)`,
      [agencyCode, LOOKED_UP_STATUSES],
    );
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO status_lookups (dossier_id, agency_code, next_at)
       SELECT d.id, d.agency_code, now() + random() * $3::bigint * interval '1 millisecond'
       FROM dossiers d
       WHERE d.agency_code = $1 AND d.status = ANY($2::text[]) AND d.agency_dossier_code IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM status_lookups s WHERE s.dossier_id = d.id)
       ON CONFLICT (dossier_id) DO NOTHING
       RETURNING dossier_id`,
      [agencyCode, LOOKED_UP_STATUSES, settings.intervalMs],
    );
    return rows.length;
  }

  /**
   * Claims up to `limit` due dossiers of the agency and moves each a round ahead: the
   * interval, or the idle interval for a dossier unchanged for `idleAfterMs`.
   */
  async claim(agencyCode: string, limit: number, settings: StatusLookupSettings): Promise<ClaimedLookup[]> {
    if (limit <= 0) return [];
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows] = await this.dataSource.query<[Record<string, unknown>[], number]>(
      `WITH due AS (
         SELECT dossier_id FROM status_lookups
         WHERE agency_code = $1 AND next_at <= now()
         ORDER BY next_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       UPDATE status_lookups s
       SET next_at = now() + (CASE WHEN s.unchanged_since < now() - $4::bigint * interval '1 millisecond'
                                   THEN $5::bigint ELSE $3::bigint END) * interval '1 millisecond'
       FROM due, dossiers d
       WHERE s.dossier_id = due.dossier_id AND d.id = s.dossier_id
       RETURNING s.dossier_id, d.agency_dossier_code, d.inbound_item_id, d.status,
                 s.last_status_code, s.changes_seen`,
      [agencyCode, limit, settings.intervalMs, settings.idleAfterMs, settings.idleIntervalMs],
    );
    return rows.map((r) => ({
      dossierId: r.dossier_id as string,
      agencyDossierCode: (r.agency_dossier_code as string | null) ?? null,
      itemId: (r.inbound_item_id as string | null) ?? null,
      status: r.status as DossierStatus,
      lastStatusCode: (r.last_status_code as string | null) ?? null,
      changesSeen: Number(r.changes_seen),
    }));
  }

  /** Puts claimed dossiers back as due now (the rate limit left no room for them this time). */
  async release(dossierIds: string[]): Promise<void> {
    if (dossierIds.length === 0) return;
    await this.dataSource.query(
      `UPDATE status_lookups SET next_at = now() WHERE dossier_id = ANY($1::uuid[])`,
      [dossierIds],
    );
  }

  /** Writes what the round's look-ups found, in one statement. */
  async record(records: LookupRecord[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    if (records.length === 0) return;
    await manager.query(
      `UPDATE status_lookups s
       SET looked_up_at = now(),
           last_status_code = COALESCE(r.code, s.last_status_code),
           changes_seen = s.changes_seen + CASE WHEN r.changed THEN 1 ELSE 0 END,
           unchanged_since = CASE WHEN r.changed THEN now() ELSE s.unchanged_since END
       FROM unnest($1::uuid[], $2::text[], $3::boolean[]) AS r(id, code, changed)
       WHERE s.dossier_id = r.id`,
      [records.map((r) => r.dossierId), records.map((r) => r.statusCode), records.map((r) => r.changed)],
    );
  }
}
