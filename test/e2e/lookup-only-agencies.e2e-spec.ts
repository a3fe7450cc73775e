import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DossierStatus } from '@bridge/domain';
import { DeadLetterEntity } from '@bridge/persistence';
import { LookupOnlySoapService, RestAgencySimulator } from '@bridge/simulator';
import {
  BridgeProcess,
  collectedEvent,
  createTestDatabase,
  EventTap,
  nextS10,
  postalEvent,
  publishPostal,
  registerAgencies,
  TEST_AGENCY_API_KEY,
  TEST_SECRET_KEY,
  TestDatabase,
  uniqueAmqpPrefix,
  waitFor,
  waitForDossier,
  withOverrides,
} from '@bridge/testing';

const SOAP_CODE = '000.00.23.H51';
const REST_CODE = '000.00.05.H51';
const SOAP_CREDENTIALS = { username: 'buudien.tinhson', password: 'mat-khau-tinh-son' };
const fixture = (kind: string, file: string) =>
  join(__dirname, '..', '..', 'adapters', kind, 'fixtures', file);
const agencyFile = (kind: string) =>
  parse(readFileSync(fixture(kind, 'lookup-only/agency.yaml'), 'utf8')) as Record<string, unknown>;
/** Fast rounds for the test: every open dossier looked up once a second. */
const FAST = {
  statusLookup: { intervalMs: 1000 },
  retry: { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 2000, jitter: 0.1 },
};

/**
 * What the post sees of a dossier at an agency that never tells anyone a status changed, with
 * the national portal's status code of each event.
 */
const STORY: [string, number][] = [
  ['dossier.collected', 1],
  ['dossier.submitted', 1],
  ['dossier.received', 2],
  ['dossier.processing', 4],
  ['dossier.result_ready', 9],
  ['dossier.result_collected', 9],
  ['dossier.delivered', 10],
  ['dossier.completed', 10],
];
const STORY_WITH_SUPPLEMENT: [string, number][] = [
  ...STORY.slice(0, 4),
  ['dossier.supplement_requested', 5],
  ['dossier.processing', 4],
  ...STORY.slice(4),
];
const SUPPLEMENT = { name: 'Bản sao giấy chứng nhận kết hôn', form: 'copy', count: 1 };

/**
 * Agencies whose software only answers "look this dossier up": a SOAP service served by the
 * `soap` package from a WSDL with three operations, and vendor B's REST API used through
 * `GET /api/hoso/{maHoSo}` only. Officers move dossiers on at the agency; two bridge workers
 * learn of it by looking the dossiers up, each dossier by one of them per round.
 */
describe('agencies whose status comes by look-up', () => {
  let db: TestDatabase;
  let tap: EventTap;
  let soap: LookupOnlySoapService;
  let rest: RestAgencySimulator;
  let ns: string;
  const workers: BridgeProcess[] = [];

  beforeAll(async () => {
    ns = uniqueAmqpPrefix('lookup');
    db = await createTestDatabase('lookup');
    soap = await LookupOnlySoapService.start({
      wsdl: readFileSync(fixture('soap', 'lookup-only/tra-cuu-ho-so.wsdl'), 'utf8'),
      credentials: SOAP_CREDENTIALS,
    });
    rest = await RestAgencySimulator.start({
      agencyCode: REST_CODE,
      auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
      dedupe: false,
    });
    await registerAgencies(db.dataSource, [
      withOverrides(agencyFile('soap'), {
        parent: undefined,
        adapter: {
          ...FAST,
          endpoint: soap.url,
          auth: { type: 'ws-security', ...SOAP_CREDENTIALS, passwordType: 'PasswordText' },
        },
      }),
      withOverrides(agencyFile('rest'), {
        parent: undefined,
        adapter: {
          ...FAST,
          endpoint: rest.url,
          auth: { type: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
        },
      }),
    ]);
    tap = await EventTap.start(`${ns}.bridge.events`);
    const env = { DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns, BRIDGE_SECRET_KEY: TEST_SECRET_KEY };
    workers.push(
      ...(await Promise.all([
        BridgeProcess.start({ role: 'worker', env }),
        BridgeProcess.start({ role: 'worker', env }),
      ])),
    );
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await tap?.close();
    await soap?.close();
    await rest?.close();
    await db?.drop();
  });

  /**
   * Takes a dossier from collected to completed, the agency's side driven by `drive`; with
   * `supplement`, the agency asks for more documents on the way, which the post collects.
   */
  async function lifecycle(
    agencyCode: string,
    drive: (code: string, status: DossierStatus) => Promise<void>,
    options: { itemId?: string; supplement?: boolean } = {},
  ): Promise<{ id: string; code: string }> {
    const itemId = options.itemId ?? nextS10();
    const publish = (type: string, data: Record<string, unknown> = {}) =>
      publishPostal(`${ns}.postal.inbound`, [postalEvent(type, itemId, data)]);
    await publishPostal(`${ns}.postal.inbound`, [collectedEvent(agencyCode, { itemId })]);
    const dossier = await waitForDossier(db.dataSource, itemId, 'received');
    const code = dossier.agencyDossierCode!;
    const step = async (status: DossierStatus) => {
      await drive(code, status);
      await waitForDossier(db.dataSource, itemId, status);
    };
    await step('processing');
    if (options.supplement) {
      await step('supplement_requested');
      await publish('postal.supplement.collected', { documents: [SUPPLEMENT] });
      await waitFor(
        async () => (await openTasks(dossier.id)).length > 0,
        'the supplementary documents to become an operations task',
        30_000,
        150,
      );
      await step('processing');
    }
    await step('result_ready');
    await publish('postal.result.collected', { resultItemId: nextS10('RR') });
    await waitForDossier(db.dataSource, itemId, 'result_collected');
    await publish('postal.result.delivered');
    await waitForDossier(db.dataSource, itemId, 'completed');
    await tap.waitFor((events) =>
      events.some((e) => e.subject === dossier.id && e.type === 'dossier.completed'),
    );
    const story = tap.unique().filter((e) => e.subject === dossier.id && e.type.startsWith('dossier.'));
    const expected = options.supplement ? STORY_WITH_SUPPLEMENT : STORY;
    expect(story.map((e) => e.type)).toEqual(expected.map(([type]) => type));
    // The national portal's codes of the same story, as provinces report them.
    expect(story.map((e) => (e.data as { portalStatusCode: number }).portalStatusCode)).toEqual(
      expected.map(([, portal]) => portal),
    );
    return { id: dossier.id, code };
  }

  /** Open operations tasks of a dossier (supplementary documents to hand over by hand). */
  function openTasks(dossierId: string): Promise<DeadLetterEntity[]> {
    return db.dataSource
      .getRepository(DeadLetterEntity)
      .findBy({ dossierId, origin: 'operations-task', state: 'open' });
  }

  it('SOAP (soap package, three operations): collected → … → completed, filed once', async () => {
    const itemId = nextS10();
    // An earlier filing whose answer was lost: looking the item id up before filing finds it.
    const filedBefore = soap.fileWithLostAnswer(itemId);
    const { code } = await lifecycle(SOAP_CODE, (c, s) => soap.driveStatus(c, s), { itemId });
    expect(code).toBe(filedBefore);
    expect(await soap.filedCount(itemId)).toBe(1);
  });

  it('REST (GET /api/hoso/{maHoSo} only): collected → … → completed, filed once', async () => {
    const { id } = await lifecycle(REST_CODE, (c, s) => rest.driveStatus(c, s), { supplement: true });
    expect(await rest.filedCount(id)).toBe(1);
    // Without a supplement operation the documents became one task naming them, not a retry loop.
    const tasks = await openTasks(id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].reason).toContain(SUPPLEMENT.name);
    expect(await db.dataSource.getRepository(DeadLetterEntity).countBy({ dossierId: id })).toBe(1);
  });

  it('two workers look each open dossier up once per round between them', async () => {
    const itemId = nextS10();
    await publishPostal(`${ns}.postal.inbound`, [collectedEvent(SOAP_CODE, { itemId })]);
    const { agencyDossierCode } = await waitForDossier(db.dataSource, itemId, 'received');
    const before = soap.lookups.get(agencyDossierCode!) ?? 0;
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const rounds = (Date.now() - started) / 1000;
    const looked = (soap.lookups.get(agencyDossierCode!) ?? 0) - before;
    // One look-up a round (a second) at most, one more for a round straddling the window's
    // start; both workers asking every round would double it.
    expect(looked).toBeGreaterThanOrEqual(2);
    expect(looked).toBeLessThanOrEqual(Math.ceil(rounds) + 1);
  });
});
