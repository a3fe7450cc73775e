import { RestAgencySimulator } from '@bridge/simulator';
import {
  BridgeProcess,
  collectedEvent,
  createTestDatabase,
  registerAgencies,
  restAgencyDoc,
  TEST_SECRET_KEY,
  TestDatabase,
  uniqueAmqpPrefix,
  waitFor,
} from '@bridge/testing';

const AGENCY = '000.00.72.H48';
const CREDENTIAL = 'khoa-bi-mat-cua-co-quan-7f3a9c';
const CITIZEN_ID = '048190007777';
const PHONE = '0905771234';
const ADMIN_KEY = 'privacy-admin-key-0123456789';

/**
 * What the bridge says about a dossier — its logs at debug level and every operator-facing API
 * response — never contains a stored credential or an unmasked citizen id or phone number.
 */
describe('privacy: no credential, citizen id or phone number in logs or API responses', () => {
  let db: TestDatabase;
  let agency: RestAgencySimulator;
  let bridge: BridgeProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('privacy');
    agency = await RestAgencySimulator.start({
      agencyCode: AGENCY,
      auth: { mode: 'api-key', header: 'X-Api-Key', key: CREDENTIAL },
    });
    const doc = restAgencyDoc(AGENCY, agency.url);
    (doc.adapter as Record<string, unknown>).auth = { type: 'api-key', header: 'X-Api-Key', key: CREDENTIAL };
    await registerAgencies(db.dataSource, [doc]);
    bridge = await BridgeProcess.start({
      role: 'standalone',
      env: {
        DATABASE_URL: db.url,
        BRIDGE_NAMESPACE: uniqueAmqpPrefix('privacy'),
        BRIDGE_SECRET_KEY: TEST_SECRET_KEY,
        BRIDGE_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
        LOG_LEVEL: 'debug',
      },
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    await agency?.close();
    await db?.drop();
  });

  it('keeps them out', async () => {
    const event = collectedEvent(AGENCY);
    const data = event.data as { itemId: string; applicant: { citizenId: string; phone: string } };
    data.applicant.citizenId = CITIZEN_ID;
    data.applicant.phone = PHONE;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${bridge!.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      });

    expect((await api('/api/v1/postal/events', { method: 'POST', body: JSON.stringify(event) })).status).toBe(
      202,
    );
    let dossierId = '';
    await waitFor(
      async () => {
        const response = await api(`/api/v1/dossiers/${data.itemId}`);
        if (response.status !== 200) return false;
        const body = (await response.json()) as { dossier: { id: string; status: string } };
        dossierId = body.dossier.id;
        return body.dossier.status === 'received';
      },
      'the dossier to be received',
      30_000,
      200,
    );
    // The agency really got the citizen id: the bridge did not lose it, it only keeps it to itself.
    expect(JSON.stringify(agency.dossiers())).toContain(CITIZEN_ID);

    const responses: string[] = [];
    for (const path of [
      `/api/v1/dossiers/${data.itemId}`,
      `/api/v1/dossiers?agency=${AGENCY}`,
      '/api/v1/agencies',
      `/api/v1/agencies/${AGENCY}`,
      `/api/v1/ops/messages?dossier=${dossierId}`,
      '/api/v1/ops/overview',
      '/api/v1/ops/dead-letters',
      '/metrics',
    ]) {
      const response = await api(path);
      expect(response.status).toBe(200);
      responses.push(await response.text());
    }
    const everything = [...responses, bridge!.output.join('')].join('\n');
    expect(responses[0]).toContain('0481********');
    for (const secret of [CREDENTIAL, CITIZEN_ID, PHONE]) expect(everything).not.toContain(secret);
  });
});
