import {
  BridgeProcess,
  collectedEvent,
  createTestDatabase,
  EventTap,
  exampleAgency,
  publishPostal,
  registerAgencies,
  TestDatabase,
  TEST_SECRET_KEY,
  uniqueAmqpPrefix,
  withOverrides,
  waitForDossier,
} from '@bridge/testing';
import { RestAgencySimulator } from '@bridge/simulator';
import { DossierEntity } from '@bridge/persistence';

const AGENCY = '000.00.53.H48';

/**
 * The backbone end to end, with real processes and services: a postal event in on AMQP, the
 * agency (vendor B simulator) called once, the normalized events out on `bridge.events`.
 */
describe('backbone: postal event in → agency → normalized events out', () => {
  let db: TestDatabase;
  let agency: RestAgencySimulator;
  let tap: EventTap;
  let bridge: BridgeProcess | undefined;
  let namespace: string;

  beforeAll(async () => {
    namespace = uniqueAmqpPrefix('e2e');
    db = await createTestDatabase('backbone');
    agency = await RestAgencySimulator.start({
      auth: { mode: 'api-key', header: 'X-Api-Key', key: 'khoa-thu-nghiem' },
      agencyCode: AGENCY,
    });
    const doc = withOverrides(exampleAgency('rest'), {
      parent: undefined,
      adapter: {
        endpoint: agency.url,
        sandboxEndpoint: undefined,
        pollIntervalMs: 1000,
        retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0.2 },
      },
    });
    const adapter = doc.adapter as Record<string, unknown>;
    adapter.auth = { type: 'api-key', header: 'X-Api-Key', key: 'khoa-thu-nghiem' };
    adapter.callbackAuth = { type: 'agency-key' };
    await registerAgencies(db.dataSource, [doc]);
    tap = await EventTap.start(`${namespace}.bridge.events`);
    bridge = await BridgeProcess.start({
      role: 'standalone',
      env: { DATABASE_URL: db.url, BRIDGE_NAMESPACE: namespace, BRIDGE_SECRET_KEY: TEST_SECRET_KEY },
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    await tap?.close();
    await agency?.close();
    await db?.drop();
  });

  it('files a collected dossier once and publishes collected, submitted, received in order', async () => {
    const event = collectedEvent(AGENCY);
    await publishPostal(`${namespace}.postal.inbound`, [event, event, event, event, event]);

    const dossierId = (await waitForDossier(db.dataSource, (event.data as { itemId: string }).itemId)).id;
    await tap.waitFor(
      (events) => events.filter((e) => e.subject === dossierId).length >= 3,
      20_000,
      'three dossier events',
    );

    const types = tap
      .unique()
      .filter((e) => e.subject === dossierId)
      .map((e) => [e.type, (e.data as { sequence: number }).sequence]);
    expect(types).toEqual([
      ['dossier.collected', 1],
      ['dossier.submitted', 2],
      ['dossier.received', 3],
    ]);
    expect(await agency.filedCount(dossierId)).toBe(1);
    const received = tap.unique().find((e) => e.subject === dossierId && e.type === 'dossier.received')!;
    expect(received.data).toMatchObject({
      previousStatus: 'submitted',
      dossier: {
        status: 'received',
        agencyDossierCode: expect.any(String),
        applicant: { fullName: 'Nguyễn Thị Thủy' },
      },
    });
  });

  it('moves the dossier on when the agency reports progress, found by polling', async () => {
    const event = collectedEvent(AGENCY);
    await publishPostal(`${namespace}.postal.inbound`, [event]);
    const dossierId = (await waitForDossier(db.dataSource, (event.data as { itemId: string }).itemId)).id;
    await tap.waitFor((events) =>
      events.some((e) => e.subject === dossierId && e.type === 'dossier.received'),
    );
    const code = (await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id: dossierId }))
      .agencyDossierCode!;

    await agency.driveStatus(code, 'processing');
    await agency.driveStatus(code, 'result_ready');
    await tap.waitFor((events) =>
      events.some((e) => e.subject === dossierId && e.type === 'dossier.result_ready'),
    );
    const sequence = tap
      .unique()
      .filter((e) => e.subject === dossierId)
      .map((e) => (e.data as { sequence: number }).sequence);
    expect(sequence).toEqual([1, 2, 3, 4, 5]);
  });
});
