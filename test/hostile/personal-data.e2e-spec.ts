import request from 'supertest';
import { DeadLetterService, REVEAL_OPERATION } from '@bridge/core';
import { collectedEvent } from '@bridge/testing';
import { HostileGateway, SOAP_AGENCY, startHostileGateway } from './hostile-gateway';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('personal data');
const CITIZEN_ID = '048190006666';
const PHONE = '0905776655';
const TAX_CODE = '048190005555';

/**
 * Personal data in a dead letter or a dossier is masked for everyone by default; only an admin
 * may reveal one record in full, and that reveal is written to the message log. Every other way of
 * asking is refused and leaves no trace of the data.
 */
describe('hostile personal data', () => {
  let gateway: HostileGateway;
  let deadLetterId: string;
  let itemId: string;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    gateway = await startHostileGateway('personal');
    keys.operator = (await gateway.keys.create({ name: 'trực ban', role: 'operator' })).key;
    keys.postal = (await gateway.keys.create({ name: 'vnpost', role: 'postal' })).key;
    keys.agency = (await gateway.keys.create({ name: 'Hải Châu', role: `agency:${SOAP_AGENCY}` })).key;
    keys.admin = gateway.adminKey;
    deadLetterId = await new DeadLetterService(gateway.db.dataSource).recordNow({
      origin: 'agency-record',
      agencyCode: SOAP_AGENCY,
      operation: 'status-record',
      payload: { applicant: { citizenId: CITIZEN_ID, phone: PHONE }, owner: { taxCode: TAX_CODE } },
      errorCode: 'PERMANENT',
      reason: 'no dossier for this record',
      attempts: [],
    });
    const event = collectedEvent(SOAP_AGENCY);
    const data = event.data as { itemId: string; applicant: Record<string, unknown> };
    Object.assign(data.applicant, { citizenId: CITIZEN_ID, phone: PHONE });
    itemId = data.itemId;
    const posted = await request(gateway.server())
      .post('/api/v1/postal/events')
      .set('Authorization', `Bearer ${keys.postal}`)
      .send(event);
    expect(posted.status).toBe(202);
  });

  afterAll(async () => {
    tally.print();
    await gateway?.close();
  });

  const reveals = () =>
    gateway.db.dataSource.query<Array<{ body: string }>>(
      'SELECT body FROM message_log WHERE operation = $1 ORDER BY id',
      [REVEAL_OPERATION],
    );
  const get = (path: string, role: string) =>
    request(gateway.server()).get(path).set('Authorization', `Bearer ${keys[role]}`);

  it('masks the dead letter for an operator and for an admin who does not ask', async () => {
    for (const role of ['operator', 'admin']) {
      const response = await get(`/api/v1/ops/dead-letters/${deadLetterId}`, role);
      expect(response.status).toBe(200);
      for (const secret of [CITIZEN_ID, PHONE, TAX_CODE]) expect(response.text).not.toContain(secret);
      expect(response.body).toMatchObject({
        payload: {
          applicant: { citizenId: '0481********', phone: '09******55' },
          owner: { taxCode: '0481********' },
        },
      });
    }
  });

  it('refuses every other way of asking for the data in full, and logs nothing', async () => {
    const attempts: Array<{ label: string; path: string; role: string; status: number }> = [
      {
        label: 'operator asks to reveal',
        path: `/api/v1/ops/dead-letters/${deadLetterId}?reveal=true`,
        role: 'operator',
        status: 403,
      },
      {
        label: 'postal key asks to reveal',
        path: `/api/v1/ops/dead-letters/${deadLetterId}?reveal=true`,
        role: 'postal',
        status: 403,
      },
      {
        label: 'agency key asks to reveal',
        path: `/api/v1/ops/dead-letters/${deadLetterId}?reveal=true`,
        role: 'agency',
        status: 403,
      },
      {
        label: 'reveal=1',
        path: `/api/v1/ops/dead-letters/${deadLetterId}?reveal=1`,
        role: 'admin',
        status: 400,
      },
      {
        label: 'reveal twice',
        path: `/api/v1/ops/dead-letters/${deadLetterId}?reveal=true&reveal=true`,
        role: 'admin',
        status: 400,
      },
      {
        label: 'operator asks to reveal a dossier',
        path: `/api/v1/dossiers/${itemId}?reveal=true`,
        role: 'operator',
        status: 403,
      },
      {
        label: 'postal key asks to reveal a dossier',
        path: `/api/v1/dossiers/${itemId}?reveal=true`,
        role: 'postal',
        status: 403,
      },
      {
        label: 'reveal on the dossier list',
        path: `/api/v1/dossiers?agency=${SOAP_AGENCY}&reveal=true`,
        role: 'admin',
        status: 400,
      },
      {
        label: 'reveal on the list',
        path: '/api/v1/ops/dead-letters?reveal=true',
        role: 'admin',
        status: 400,
      },
      {
        label: 'reveal on message search',
        path: `/api/v1/ops/messages?agency=${SOAP_AGENCY}&reveal=true`,
        role: 'admin',
        status: 400,
      },
    ];
    for (const attempt of attempts) {
      const response = await get(attempt.path, attempt.role);
      const leaked = [CITIZEN_ID, PHONE, TAX_CODE].some((secret) => response.text.includes(secret));
      tally.record(attempt.label, {
        clean: response.status === attempt.status && !leaked,
        crashed: response.status >= 500,
      });
      expect({ label: attempt.label, status: response.status, leaked }).toEqual({
        label: attempt.label,
        status: attempt.status,
        leaked: false,
      });
    }
    expect(await reveals()).toEqual([]);
  });

  it('shows an admin the record in full when asked, and logs who revealed which record', async () => {
    const response = await get(`/api/v1/ops/dead-letters/${deadLetterId}?reveal=true`, 'admin');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      payload: { applicant: { citizenId: CITIZEN_ID, phone: PHONE }, owner: { taxCode: TAX_CODE } },
    });
    const dossier = await get(`/api/v1/dossiers/${itemId}?reveal=true`, 'admin');
    expect(dossier.status).toBe(200);
    expect(dossier.body).toMatchObject({ dossier: { applicant: { citizenId: CITIZEN_ID, phone: PHONE } } });
    const logged = await reveals();
    expect(logged.map((row) => JSON.parse(row.body) as unknown)).toEqual([
      expect.objectContaining({ by: 'admin:bootstrap', record: `dead letter ${deadLetterId}` }),
      expect.objectContaining({ by: 'admin:bootstrap', record: `dossier ${itemId}` }),
    ]);
  });
});
