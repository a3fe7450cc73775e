import { AgencyChangesService, DeadLetterService, PostalIngressService } from '@bridge/core';
import { DeadLetterEntity, DossierEntity } from '@bridge/persistence';
import {
  collectedEvent,
  createTestDatabase,
  receivedAtAgency,
  registerAgencies,
  restAgencyDoc,
  TEST_SECRET_KEY,
  TestDatabase,
} from '@bridge/testing';
import { assertCliBuilt, runCli } from './testing/cli-process';

const AGENCY = '000.00.53.H48';
/** Vendor B's status word for "moved to another department", not in the example file's table. */
const UNKNOWN = 'CHUYEN_PHONG_KHAC';

/**
 * `bridge dlq replay` replays a polled record that did not map as the dashboard does: refused
 * while the agency file does not know its status code, applied once the fixed file is applied.
 */
describe('bridge dlq replay of an agency record (PostgreSQL)', () => {
  let db: TestDatabase;
  const env = () => ({ DATABASE_URL: db.url, BRIDGE_SECRET_KEY: TEST_SECRET_KEY });
  // Never called: replaying a record only reads it again with the agency file.
  const doc = (statusCodes: Record<string, string> = {}) => {
    const file = restAgencyDoc(AGENCY, 'http://127.0.0.1:9');
    const adapter = file.adapter as { statusCodes: Record<string, string> };
    return { ...file, adapter: { ...adapter, statusCodes: { ...adapter.statusCodes, ...statusCodes } } };
  };

  beforeAll(async () => {
    assertCliBuilt();
    db = await createTestDatabase('cli_dlq_records');
    await registerAgencies(db.dataSource, [doc()]);
  });
  afterAll(() => db.drop());

  it('refuses the replay while the code is unknown, naming it, and applies it after the fix', async () => {
    const ds = db.dataSource;
    const changes = new AgencyChangesService(ds, new DeadLetterService(ds));
    const accepted = await new PostalIngressService(ds).accept(collectedEvent(AGENCY));
    const dossierId = (accepted as { result: { dossierId: string } }).result.dossierId;
    await receivedAtAgency(ds, changes, AGENCY, dossierId, 'HS-0043');
    // As the REST adapter sets such a record aside from a page of GET /api/thaydoi.
    const record = {
      id: 43,
      maHoSo: 'HS-0043',
      maHoSoLienThong: dossierId,
      trangThai: UNKNOWN,
      thoiGian: '24/09/2025 11:02:17',
    };
    await changes.apply(AGENCY, [], {
      via: 'poll',
      rejected: [
        {
          source: 'poll /api/thaydoi',
          reason: `agency status code "${UNKNOWN}" is not in the agency's status table`,
          raw: JSON.stringify(record),
          record,
        },
      ],
    });
    const letter = await ds.getRepository(DeadLetterEntity).findOneByOrFail({ origin: 'agency-record' });
    const status = async () =>
      (await ds.getRepository(DossierEntity).findOneByOrFail({ id: dossierId })).status;

    const refused = await runCli(['dlq', 'replay', letter.id], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`dead letter ${letter.id} not replayed, it stays open`);
    expect(refused.stderr).toContain(`"${UNKNOWN}"`);
    expect(await status()).toBe('received');

    await registerAgencies(ds, [doc({ [UNKNOWN]: 'processing' })]);
    const replayed = await runCli(['dlq', 'replay', '--agency', AGENCY, '--json'], { env: env() });
    expect(replayed.code).toBe(0);
    expect(JSON.parse(replayed.stdout)).toEqual({ replayed: [letter.id], failed: [] });
    expect(await status()).toBe('processing');
  }, 90_000);
});
