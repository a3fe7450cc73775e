import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each open dossier of an agency whose status comes by look-up is next looked up, and the
 * agency status code last seen. Workers claim due rows with `FOR UPDATE SKIP LOCKED`, so each
 * dossier is looked up by one worker per round however many run.
 */
export class StatusLookups1764500000000 implements MigrationInterface {
  name = 'StatusLookups1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE status_lookups (
        dossier_id uuid PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,
        agency_code text NOT NULL,
        next_at timestamptz NOT NULL,
        last_status_code text,
        changes_seen int NOT NULL DEFAULT 0,
        unchanged_since timestamptz NOT NULL DEFAULT now(),
        looked_up_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_status_lookups_due ON status_lookups (agency_code, next_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS status_lookups`);
  }
}
