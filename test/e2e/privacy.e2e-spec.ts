import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DeadLetterService } from '@bridge/core';
import { RestAgencySimulator } from '@bridge/simulator';
import {
  BridgeProcess,
  collectedEvent,
  createTestDatabase,
  registerAgencies,
  restAgencyDoc,
  startTestGateway,
  TEST_SECRET_KEY,
  TestGateway,
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

const OPS_AGENCY = '000.00.53.H48';
const TAX_CODE = '048190008888';

/** Every GET route of the router under these prefixes, as Express knows them. */
function routesOf(app: NestExpressApplication, prefixes: string[]): string[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  return express.router.stack
    .map((layer) => layer.route)
    .filter(
      (route): route is { path: string; methods: Record<string, boolean> } =>
        route !== undefined && route.methods.get === true,
    )
    .map((route) => route.path)
    .filter((path) => prefixes.some((prefix) => path.startsWith(prefix)));
}

/**
 * Every operator route that shows dossiers, dead letters or messages — enumerated from the
 * running app's router, so a route added later is checked too — masks citizen ids, phones and
 * personal tax codes, in stored payloads and free text alike.
 */
describe('privacy: every ops and dossier route masks personal data', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('privacy_routes', { prefix: 'e2e' });
  });
  afterAll(() => gateway?.close());

  it('masks them in every GET answer, the dead letter payload included', async () => {
    const operator = (await gateway.keys.create({ name: 'trực ban', role: 'operator' })).key;
    const postal = (await gateway.keys.create({ name: 'vnpost', role: 'postal' })).key;
    const person = collectedEvent(OPS_AGENCY);
    const applicant = (person.data as { applicant: Record<string, unknown> }).applicant;
    Object.assign(applicant, { citizenId: CITIZEN_ID, phone: PHONE });
    const business = collectedEvent(OPS_AGENCY);
    const owner = business.data as { applicant: Record<string, unknown> };
    owner.applicant = {
      kind: 'organization',
      name: 'Hộ kinh doanh Minh Anh',
      taxCode: TAX_CODE,
      phone: PHONE,
      address: applicant.address,
    };
    for (const event of [person, business]) {
      const posted = await request(gateway.server())
        .post('/api/v1/postal/events')
        .set('Authorization', `Bearer ${postal}`)
        .send(event);
      expect(posted.status).toBe(202);
    }
    const itemId = (business.data as { itemId: string }).itemId;
    const deadLetterId = await new DeadLetterService(gateway.db.dataSource).recordNow({
      origin: 'inbound',
      agencyCode: OPS_AGENCY,
      operation: 'postal.dossier.collected',
      payload: { message: business, note: `chủ hộ ${TAX_CODE}, gọi ${PHONE}` },
      errorCode: 'PERMANENT',
      reason: `refused: citizenId ${CITIZEN_ID}`,
      attempts: [{ at: new Date().toISOString(), code: 'PERMANENT', message: `phone ${PHONE}` }],
    });

    const routes = routesOf(gateway.app, ['/api/v1/ops', '/api/v1/dossiers']);
    expect(routes).toEqual(
      expect.arrayContaining([
        '/api/v1/ops/dead-letters/:id',
        '/api/v1/dossiers/:ref',
        '/api/v1/ops/messages',
      ]),
    );
    const query: Record<string, string> = {
      '/api/v1/ops/messages': `?agency=${OPS_AGENCY}`,
      '/api/v1/dossiers': `?agency=${OPS_AGENCY}`,
    };
    const answers: string[] = [];
    for (const route of routes) {
      const path =
        route.replace(':id', deadLetterId).replace(':ref', itemId).replace(':code', OPS_AGENCY) +
        (query[route] ?? '');
      const response = await request(gateway.server()).get(path).set('Authorization', `Bearer ${operator}`);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      answers.push(response.text);
      for (const secret of [CITIZEN_ID, PHONE, TAX_CODE])
        expect({ path, leaks: response.text.includes(secret) }).toEqual({ path, leaks: false });
    }
    const deadLetter = answers[routes.indexOf('/api/v1/ops/dead-letters/:id')];
    expect(deadLetter).toContain('0481********');
    expect(answers[routes.indexOf('/api/v1/dossiers/:ref')]).toContain('"taxCode":"0481********"');
  });
});
