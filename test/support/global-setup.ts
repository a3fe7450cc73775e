import { ensureDatabase } from '../../libs/persistence/src/data-source';

/**
 * Runs once before the integration tier (outside jest's module mapper, so relative imports):
 * the shared test database must exist.
 */
export default async function globalSetup(): Promise<void> {
  await ensureDatabase(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bridge_test');
}
