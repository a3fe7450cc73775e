import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The message log's staging table: business transactions insert here (a plain insert, no
 * lock), committed atomically with the state change they describe; the chainer moves the rows
 * into the hash-chained `message_log` in batches. Staged rows carry no hash yet.
 */
export class MessageLogStaging1764100000000 implements MigrationInterface {
  name = 'MessageLogStaging1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE message_log_staging (
        id bigserial PRIMARY KEY,
        staged_at timestamptz NOT NULL,
        channel text NOT NULL,
        direction text NOT NULL,
        agency_code text NULL,
        dossier_id uuid NULL,
        operation text NOT NULL,
        correlation_id text NULL,
        status text NULL,
        body text NOT NULL
      )`);
    // Operators search a dossier's messages before the chainer has moved them.
    await q.query(`CREATE INDEX ix_message_log_staging_dossier ON message_log_staging (dossier_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS message_log_staging`);
  }
}
