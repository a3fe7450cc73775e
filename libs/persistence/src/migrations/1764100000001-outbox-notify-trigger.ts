import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Wakes the outbox relay from the database itself: a statement-level trigger on `outbox`
 * sends `NOTIFY bridge_outbox` (delivered on commit, once per transaction since PostgreSQL
 * folds identical notifications), so writers need no `pg_notify` round trip of their own.
 */
export class OutboxNotifyTrigger1764100000001 implements MigrationInterface {
  name = 'OutboxNotifyTrigger1764100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION bridge_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('bridge_outbox', '');
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER tr_outbox_notify AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION bridge_outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS tr_outbox_notify ON outbox`);
    await q.query(`DROP FUNCTION IF EXISTS bridge_outbox_notify()`);
  }
}
