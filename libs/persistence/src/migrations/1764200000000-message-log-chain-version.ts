import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keys the message-log chain: each record says which hash made it. Records already written
 * keep version 1 (plain SHA-256) and stay verifiable; new records are version 2 (HMAC-SHA256
 * with the audit key, which is not in the database). The verifier accepts version 1 only
 * before the first version 2 record. The default stays 1 so that a process of the previous
 * release, still writing plain hashes, is caught by the verifier rather than hidden.
 */
export class MessageLogChainVersion1764200000000 implements MigrationInterface {
  name = 'MessageLogChainVersion1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_log ADD COLUMN chain_version smallint NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE message_log DROP COLUMN chain_version`);
  }
}
