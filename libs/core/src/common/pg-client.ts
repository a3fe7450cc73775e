import type { PoolClient } from 'pg';
import type { QueryRunner } from 'typeorm';

/**
 * The pg client a TypeORM query runner holds once connected, or undefined before: TypeORM keeps
 * it in a property that is not part of its public interface. The outbox relay needs it to send
 * several statements in one text; a transaction needs it to hear the client's own errors.
 */
export function pgClientOf(runner: QueryRunner | undefined): PoolClient | undefined {
  return (runner as unknown as { databaseConnection?: PoolClient } | undefined)?.databaseConnection;
}
