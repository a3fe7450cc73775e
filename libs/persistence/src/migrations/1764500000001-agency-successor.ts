import { MigrationInterface, QueryRunner } from 'typeorm';

/** The successor of a unit that ended (a merger of communes), named when its dossiers are refused. */
export class AgencySuccessor1764500000001 implements MigrationInterface {
  name = 'AgencySuccessor1764500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agencies ADD COLUMN merged_into text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE agencies DROP COLUMN IF EXISTS merged_into`);
  }
}
