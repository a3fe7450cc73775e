import request from 'supertest';
import { collectedEvent } from '@bridge/testing';
import { HostileGateway, OTHER_AGENCY, SOAP_AGENCY, startHostileGateway } from './hostile-gateway';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('access');

interface Attempt {
  label: string;
  method: 'get' | 'post';
  path: string;
  authorization?: string;
  body?: string;
  contentType?: string;
  /** Acceptable answers, e.g. [401] or [431, 401]. */
  statuses: number[];
}

describe('hostile access to the gateway', () => {
  let gateway: HostileGateway;
  let postalKey: string;
  let agencyKey: string;
  let otherAgencyKey: string;
  let revokedKey: string;
  const event = () => JSON.stringify(collectedEvent(SOAP_AGENCY));
  const push =
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>';

  beforeAll(async () => {
    gateway = await startHostileGateway('access');
    postalKey = (await gateway.keys.create({ name: 'vnpost', role: 'postal' })).key;
    agencyKey = (await gateway.keys.create({ name: 'Hải Châu', role: `agency:${SOAP_AGENCY}` })).key;
    otherAgencyKey = (await gateway.keys.create({ name: 'Sơn Trà', role: `agency:${OTHER_AGENCY}` })).key;
    const revoked = await gateway.keys.create({ name: 'cũ', role: 'postal' });
    await gateway.keys.revoke(revoked.id);
    revokedKey = revoked.key;
  });

  afterAll(async () => {
    tally.print();
    await gateway?.close();
  });

  async function refused(attempt: Attempt): Promise<void> {
    const before = await gateway.rowCounts();
    let call = request(gateway.server())[attempt.method](attempt.path);
    if (attempt.authorization !== undefined) call = call.set('Authorization', attempt.authorization);
    if (attempt.body !== undefined)
      call = call.set('Content-Type', attempt.contentType ?? 'application/json').send(attempt.body);
    const response = await call;
    const after = await gateway.rowCounts();
    tally.record(attempt.label, {
      clean: attempt.statuses.includes(response.status),
      crashed: response.status >= 500,
      halfApplied: JSON.stringify(after) !== JSON.stringify(before),
    });
    expect({ label: attempt.label, allowed: attempt.statuses.includes(response.status) }).toEqual({
      label: attempt.label,
      allowed: true,
    });
    if (response.status === 401) {
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.body).toMatchObject({ message: 'missing or invalid API key' });
    }
    expect(after).toEqual(before);
  }

  it('lets a right key in (the control)', async () => {
    const response = await request(gateway.server())
      .post('/api/v1/postal/events')
      .set('Authorization', `Bearer ${postalKey}`)
      .set('Content-Type', 'application/json')
      .send(event());
    expect(response.status).toBe(202);
  });

  it('refuses missing, wrong, malformed and revoked keys with 401 and stores nothing', async () => {
    const ingress = { method: 'post' as const, path: '/api/v1/postal/events', body: event() };
    await refused({ ...ingress, label: 'no key', statuses: [401] });
    await refused({ ...ingress, label: 'empty bearer', authorization: 'Bearer ', statuses: [401] });
    await refused({
      ...ingress,
      label: 'basic auth',
      authorization: 'Basic cG9zdGFsOnBvc3RhbA==',
      statuses: [401],
    });
    await refused({
      ...ingress,
      label: 'wrong key of the right shape',
      authorization: `Bearer ${postalKey.slice(0, -4)}AAAA`,
      statuses: [401],
    });
    await refused({
      ...ingress,
      label: 'revoked key',
      authorization: `Bearer ${revokedKey}`,
      statuses: [401],
    });
    await refused({
      ...ingress,
      label: 'key holding SQL',
      authorization: "Bearer x' OR '1'='1",
      statuses: [401],
    });
    await refused({
      method: 'get',
      path: `/api/v1/dossiers/EC136431858VN`,
      label: 'read without a key',
      statuses: [401],
    });
  });

  it('refuses keys acting outside their role or agency with 403', async () => {
    await refused({
      label: 'agency key for another agency',
      method: 'post',
      path: `/soap/agencies/${SOAP_AGENCY}`,
      authorization: `Bearer ${otherAgencyKey}`,
      body: push,
      contentType: 'text/xml',
      statuses: [403],
    });
    await refused({
      label: 'agency key posting postal events',
      method: 'post',
      path: '/api/v1/postal/events',
      authorization: `Bearer ${agencyKey}`,
      body: event(),
      statuses: [403],
    });
    await refused({
      label: 'postal key pushing for an agency',
      method: 'post',
      path: `/soap/agencies/${SOAP_AGENCY}`,
      authorization: `Bearer ${postalKey}`,
      body: push,
      contentType: 'text/xml',
      statuses: [403],
    });
    await refused({
      label: 'postal key changing an agency',
      method: 'post',
      path: '/api/v1/agencies',
      authorization: `Bearer ${postalKey}`,
      body: '{}',
      statuses: [403],
    });
  });

  it('answers oversized headers with 431 or 401 and keeps serving', async () => {
    const huge = `Bearer ${'k'.repeat(64 * 1024)}`;
    await refused({
      label: '64 KB Authorization',
      method: 'post',
      path: '/api/v1/postal/events',
      authorization: huge,
      body: event(),
      statuses: [431, 401],
    });
    await refused({
      label: '12 KB Authorization (under the header limit)',
      method: 'post',
      path: '/api/v1/postal/events',
      authorization: `Bearer ${'k'.repeat(12 * 1024)}`,
      body: event(),
      statuses: [401],
    });
    const live = await request(gateway.server()).get('/health/live');
    expect(live.status).toBe(200);
  });
});
