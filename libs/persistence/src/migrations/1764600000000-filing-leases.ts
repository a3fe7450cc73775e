import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row while a worker files a dossier at its agency: two runs of the same submission (a job
 * held in a worker's memory while Redis lost its data, and the same job enqueued again) must
 * not both call an agency that cannot de-duplicate. Kept in PostgreSQL, which the wipe of
 * Redis does not touch.
 */
export class FilingLeases1764600000000 implements MigrationInterface {
  name = 'FilingLeases1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE filing_leases (dossier_id uuid PRIMARY KEY, holder text NOT NULL, until timestamptz NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS filing_leases`);
  }
}
