import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What expiry, poll health and retention need: a row per polled agency with its last
 * successful and failed poll; the digest of each message-log body (the chain covers the
 * digest, so a body can be purged and the chain still verifies); when a finished dossier's
 * personal fields were masked; and indexes on the times the sweeps look at.
 */
export class Housekeeping1764300000000 implements MigrationInterface {
  name = 'Housekeeping1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agency_poll_health (
        agency_code text PRIMARY KEY,
        last_success_at timestamptz NULL,
        last_success_via text NULL,
        last_failure_at timestamptz NULL,
        consecutive_failures int NOT NULL DEFAULT 0,
        last_error text NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_parked_at ON parked_events (parked_at)`);
    await q.query(`ALTER TABLE message_log ADD COLUMN body_sha256 text NULL`);
    await q.query(`ALTER TABLE message_log ADD COLUMN body_purged_at timestamptz NULL`);
    await q.query(
      `CREATE INDEX ix_message_log_body_kept ON message_log (logged_at) WHERE body_purged_at IS NULL`,
    );
    await q.query(`ALTER TABLE dossiers ADD COLUMN personal_data_purged_at timestamptz NULL`);
    await q.query(
      `CREATE INDEX ix_dossiers_personal_data_kept ON dossiers (updated_at) WHERE personal_data_purged_at IS NULL`,
    );
    await q.query(`CREATE INDEX ix_inbox_received ON inbox (received_at)`);
    await q.query(`CREATE INDEX ix_outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL`);
    await q.query(
      `CREATE INDEX ix_dead_letters_resolved ON dead_letters (resolved_at) WHERE state <> 'open'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_dead_letters_resolved`);
    await q.query(`DROP INDEX IF EXISTS ix_outbox_published`);
    await q.query(`DROP INDEX IF EXISTS ix_inbox_received`);
    await q.query(`DROP INDEX IF EXISTS ix_dossiers_personal_data_kept`);
    await q.query(`ALTER TABLE dossiers DROP COLUMN IF EXISTS personal_data_purged_at`);
    await q.query(`DROP INDEX IF EXISTS ix_message_log_body_kept`);
    await q.query(`ALTER TABLE message_log DROP COLUMN IF EXISTS body_purged_at`);
    await q.query(`ALTER TABLE message_log DROP COLUMN IF EXISTS body_sha256`);
    await q.query(`DROP INDEX IF EXISTS ix_parked_at`);
    await q.query(`DROP TABLE IF EXISTS agency_poll_health`);
  }
}
