import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The history behind the dashboard's trend charts: one row a minute per agency (and one for
 * all agencies, code `*`) with the deliveries that completed in that minute, their p50/p95
 * duration and the queue depth when the minute was sampled. The primary key lets several
 * workers sample the same minute: the first row wins, the others change nothing.
 */
export class OpsHistory1764400000000 implements MigrationInterface {
  name = 'OpsHistory1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ops_history (
        bucket timestamptz NOT NULL,
        agency_code text NOT NULL,
        deliveries int NOT NULL,
        latency_p50_ms int NULL,
        latency_p95_ms int NULL,
        queue_depth int NOT NULL,
        PRIMARY KEY (agency_code, bucket)
      )`);
    await q.query(`CREATE INDEX ix_ops_history_bucket ON ops_history (bucket)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ops_history`);
  }
}
