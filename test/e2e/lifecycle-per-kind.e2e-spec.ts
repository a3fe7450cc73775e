import { AdapterKind } from '@bridge/adapter-sdk';
import { DossierStatus } from '@bridge/domain';
import {
  CsvAgencySimulator,
  IgateLegacyAgencySimulator,
  RestAgencySimulator,
  SoapAgencySimulator,
} from '@bridge/simulator';
import {
  BridgeProcess,
  collectedEvent,
  createTestDatabase,
  EventTap,
  exampleAgency,
  nextS10,
  postalEvent,
  publishPostal,
  registerAgencies,
  restAgencyDoc,
  TEST_AGENCY_API_KEY,
  TEST_SECRET_KEY,
  TestDatabase,
  uniqueAmqpPrefix,
  waitForDossier,
  withOverrides,
} from '@bridge/testing';

/** The agency side of a kind under test: drives status changes at the simulated agency. */
interface KindUnderTest {
  code: string;
  drive(agencyDossierCode: string, status: DossierStatus, note?: string): Promise<void>;
  filedCount(bridgeId: string): Promise<number>;
  close(): Promise<void>;
}

const FAST = {
  pollIntervalMs: 1000,
  retry: { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 2000, jitter: 0.1 },
};

function replaceAdapter(
  doc: Record<string, unknown>,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const adapter = { ...(doc.adapter as Record<string, unknown>), ...fields };
  return { ...doc, parent: undefined, adapter };
}

/** The whole story of a dossier, as the postal backend sees it on `bridge.events`. */
const FULL_STORY = [
  'dossier.collected',
  'dossier.submitted',
  'dossier.received',
  'dossier.processing',
  'dossier.supplement_requested',
  'dossier.processing',
  'dossier.result_ready',
  'dossier.result_collected',
  'dossier.delivery_failed',
  'dossier.delivered',
  'dossier.completed',
];

/**
 * One dossier through every status with each adapter kind: the post's events in on AMQP, the
 * agency simulators speaking their own protocols, the normalized events out.
 */
describe('a dossier through every status, with each adapter kind', () => {
  let db: TestDatabase;
  let tap: EventTap;
  let bridge: BridgeProcess | undefined;
  let ns: string;
  const kinds: Partial<Record<AdapterKind, KindUnderTest>> = {};

  beforeAll(async () => {
    ns = uniqueAmqpPrefix('kinds');
    db = await createTestDatabase('kinds');

    const soap = await SoapAgencySimulator.start({
      agencyCode: '000.00.81.H48',
      credentials: { username: 'buudien', password: 'mat-khau-soap' },
    });
    const rest = await RestAgencySimulator.start({
      agencyCode: '000.00.82.H48',
      auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
    });
    const csv = await CsvAgencySimulator.start({ agencyCode: '000.00.83.H48', pollMs: 50 });
    const igate = await IgateLegacyAgencySimulator.start({
      agencyCode: '000.00.84.H48',
      appCode: 'BUUDIEN_TEST',
      signingKey: 'khoa-ky-igate',
    });
    kinds.soap = {
      code: '000.00.81.H48',
      drive: (c, s, n) => soap.driveStatus(c, s, n),
      filedCount: (k) => soap.filedCount(k),
      close: () => soap.close(),
    };
    kinds.rest = {
      code: '000.00.82.H48',
      drive: (c, s, n) => rest.driveStatus(c, s, n),
      filedCount: (k) => rest.filedCount(k),
      close: () => rest.close(),
    };
    kinds['csv-drop'] = {
      code: '000.00.83.H48',
      drive: (c, s, n) => csv.driveStatus(c, s, n),
      filedCount: (k) => csv.filedCount(k),
      close: () => csv.close(),
    };
    kinds['igate-legacy'] = {
      code: '000.00.84.H48',
      drive: (c, s, n) => igate.driveStatus(c, s, n),
      filedCount: (k) => igate.filedCount(k),
      close: () => igate.close(),
    };

    await registerAgencies(db.dataSource, [
      replaceAdapter(
        withOverrides(exampleAgency('soap'), { code: '000.00.81.H48', name: 'Cơ quan SOAP thử nghiệm' }),
        {
          ...FAST,
          endpoint: soap.url,
          auth: {
            type: 'ws-security',
            username: 'buudien',
            password: 'mat-khau-soap',
            passwordType: 'PasswordDigest',
          },
        },
      ),
      restAgencyDoc('000.00.82.H48', rest.url, FAST),
      replaceAdapter(
        withOverrides(exampleAgency('csv-drop'), { code: '000.00.83.H48', name: 'Cơ quan CSV thử nghiệm' }),
        {
          ...FAST,
          timeoutMs: 5000,
          endpoint: `file://${csv.inboxDir}`,
          options: {
            ...((exampleAgency('csv-drop').adapter as Record<string, unknown>).options as Record<
              string,
              unknown
            >),
            inboxDir: csv.inboxDir,
            outboxDir: csv.outboxDir,
            archiveDir: `${csv.outboxDir}/../luu-tru`,
            failedDir: `${csv.outboxDir}/../loi`,
            rejectDir: `${csv.outboxDir}/../dong-loi`,
          },
        },
      ),
      replaceAdapter(
        withOverrides(exampleAgency('igate-legacy'), {
          code: '000.00.84.H48',
          name: 'Cơ quan iGate thử nghiệm',
        }),
        {
          ...FAST,
          endpoint: igate.url,
          auth: { type: 'basic', username: 'BUUDIEN_TEST', password: 'khoa-ky-igate' },
          rateLimit: { max: 50, durationMs: 1000 },
        },
      ),
    ]);
    tap = await EventTap.start(`${ns}.bridge.events`);
    bridge = await BridgeProcess.start({
      role: 'standalone',
      env: { DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns, BRIDGE_SECRET_KEY: TEST_SECRET_KEY },
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    await tap?.close();
    for (const kind of Object.values(kinds)) await kind.close();
    await db?.drop();
  });

  it.each(Object.values(AdapterKind))('%s: collected → … → completed', async (name) => {
    const kind = kinds[name];
    if (!kind) throw new Error(`no agency simulator is set up here for the ${name} kind`);
    const event = collectedEvent(kind.code);
    const itemId = (event.data as { itemId: string }).itemId;
    const publish = (type: string, data: Record<string, unknown> = {}) =>
      publishPostal(`${ns}.postal.inbound`, [postalEvent(type, itemId, data)]);
    await publishPostal(`${ns}.postal.inbound`, [event]);

    const dossier = await waitForDossier(db.dataSource, itemId, 'received');
    const code = dossier.agencyDossierCode!;
    const step = async (status: DossierStatus, note?: string) => {
      await kind.drive(code, status, note);
      await waitForDossier(db.dataSource, itemId, status);
    };
    await step('processing');
    await step('supplement_requested');
    // A file-drop agency that wrote the same status twice in the same minute with the same note
    // would write byte-identical files, which the bridge (rightly) applies once; real agencies
    // say what changed, and so does this one.
    const resumed = 'Đã nhận giấy tờ bổ sung, tiếp tục xử lý';
    await publish('postal.supplement.collected', {
      documents: [{ name: 'Bản sao sổ hộ khẩu', form: 'copy', count: 1 }],
    });
    await step('processing', resumed);
    await step('result_ready');
    const resultItemId = nextS10('RR');
    await publish('postal.result.collected', { resultItemId });
    await waitForDossier(db.dataSource, itemId, 'result_collected');
    await publish('postal.result.delivery_failed', { reason: 'Không có người nhận' });
    await waitForDossier(db.dataSource, itemId, 'delivery_failed');
    await publish('postal.result.delivered');
    await waitForDossier(db.dataSource, itemId, 'completed');

    await tap.waitFor((events) =>
      events.some((e) => e.subject === dossier.id && e.type === 'dossier.completed'),
    );
    const story = tap.unique().filter((e) => e.subject === dossier.id);
    expect(story.map((e) => e.type)).toEqual(FULL_STORY);
    expect(story.map((e) => (e.data as { sequence: number }).sequence)).toEqual(
      FULL_STORY.map((_, i) => i + 1),
    );
    expect(await kind.filedCount(dossier.id)).toBe(1);
  });
});
