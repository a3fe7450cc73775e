import { DataSource } from 'typeorm';
import { registerAgencies as registerAgencyDocs } from '@bridge/simulator';

export { exampleAgency, withOverrides } from '@bridge/simulator';

/** The secret key every test bridge process is started with. */
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef';

/** Registers agencies (agency-file objects) in a test schema, as `bridge agencies apply` would. */
export async function registerAgencies(
  dataSource: DataSource,
  agencies: Record<string, unknown>[],
): Promise<void> {
  await registerAgencyDocs(dataSource, agencies, { secretKey: TEST_SECRET_KEY, appliedBy: 'test' });
}
