import request from 'supertest';
import { CloudEvent } from '@bridge/domain';
import { collectedEvent, nextS10, postalEvent } from '@bridge/testing';
import { HostileGateway, SOAP_AGENCY, startHostileGateway } from './hostile-gateway';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('identifiers');
const PATH = '/api/v1/postal/events';

type Data = Record<string, unknown> & { applicant: Record<string, unknown> };

/** Full-width (IME) spelling of ASCII letters and digits. */
function fullWidth(text: string): string {
  return text.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** The same item id with its check digit off by one. */
function wrongCheckDigit(itemId: string): string {
  const digit = Number(itemId[10]);
  return `${itemId.slice(0, 10)}${(digit + 1) % 10}${itemId.slice(11)}`;
}

function withData(event: CloudEvent, patch: (data: Data) => void): CloudEvent {
  const data = structuredClone(event.data) as Data;
  patch(data);
  return { ...event, data };
}

describe('identifiers that are almost right, at the postal ingress', () => {
  let gateway: HostileGateway;
  let auth: string;

  beforeAll(async () => {
    gateway = await startHostileGateway('ids');
    auth = `Bearer ${(await gateway.keys.create({ name: 'vnpost', role: 'postal' })).key}`;
  });

  afterAll(async () => {
    tally.print();
    await gateway?.close();
  });

  const post = (event: unknown) =>
    request(gateway.server())
      .post(PATH)
      .set('Authorization', auth)
      .send(event as object);

  async function dossier(ref: string): Promise<Record<string, unknown>> {
    const response = await request(gateway.server())
      .get(`/api/v1/dossiers/${encodeURIComponent(ref)}`)
      .set('Authorization', `Bearer ${gateway.adminKey}`);
    expect(response.status).toBe(200);
    return (response.body as { dossier: Record<string, unknown> }).dossier;
  }

  /** A wrong identifier: 400 whose message names the field and the rule; nothing stored. */
  async function refuses(label: string, event: CloudEvent, reason: RegExp): Promise<void> {
    const before = await gateway.rowCounts();
    const response = await post(event);
    const after = await gateway.rowCounts();
    const message = ([] as string[])
      .concat((response.body as { message: string | string[] }).message)
      .join('\n');
    tally.record(label, {
      clean: response.status === 400 && reason.test(message),
      crashed: response.status >= 500,
      halfApplied: JSON.stringify(after) !== JSON.stringify(before),
    });
    expect({ label, status: response.status, message }).toEqual({
      label,
      status: 400,
      message: expect.stringMatching(reason),
    });
    expect(after).toEqual(before);
  }

  it('accepts spaced, full-width and lower-case item ids and stores them canonical', async () => {
    const spaced = nextS10();
    const wide = nextS10();
    const lower = nextS10();
    for (const [written, canonical] of [
      [`  ${spaced}\t`, spaced],
      [fullWidth(wide), wide],
      [lower.toLowerCase(), lower],
    ]) {
      const response = await post(collectedEvent(SOAP_AGENCY, { itemId: written }));
      expect({ written, status: response.status }).toEqual({ written, status: 202 });
      expect((await dossier(canonical)).inboundItemId).toBe(canonical);
    }
    const later = await post(postalEvent('postal.dossier.handed_over', ` ${fullWidth(wide)} `));
    expect(later.status).toBe(202);
    expect((later.body as { dossierId?: string }).dossierId).toBe((await dossier(wide)).id);
  });

  it('accepts full-width and spaced citizen ids, agency and procedure codes, and NFD names, stored canonical', async () => {
    const itemId = nextS10();
    const event = withData(collectedEvent(SOAP_AGENCY, { itemId }), (data) => {
      data.agencyCode = ` ${fullWidth(SOAP_AGENCY)} `;
      data.procedureCode = `${fullWidth('1.001612')} `;
      data.applicant.citizenId = ` ${fullWidth('048190001234')}`;
      data.applicant.fullName = 'Nguyễn Thị Thủy'.normalize('NFD');
    });
    const response = await post(event);
    expect(response.status).toBe(202);
    const stored = await dossier(itemId);
    expect(stored).toMatchObject({ agencyCode: SOAP_AGENCY, procedureCode: '1.001612' });
    const applicant = stored.applicant as Record<string, string>;
    // Operators see it masked; what is stored (and sent to the agency and the post) is canonical.
    expect(applicant.citizenId).toBe('0481********');
    const [row] = await gateway.db.dataSource.query<{ citizen_id: string }[]>(
      `SELECT snapshot->'applicant'->>'citizenId' AS citizen_id FROM dossiers WHERE inbound_item_id = $1`,
      [itemId],
    );
    expect(row.citizen_id).toBe('048190001234');
    expect(applicant.fullName).toBe('Nguyễn Thị Thủy'.normalize('NFC'));
    expect(applicant.fullName).not.toBe('Nguyễn Thị Thủy'.normalize('NFD'));
  });

  it('refuses what stays wrong after normalising, naming the field and the rule', async () => {
    const itemId = nextS10();
    await refuses(
      'wrong check digit',
      collectedEvent(SOAP_AGENCY, { itemId: wrongCheckDigit(itemId) }),
      /\/data\/itemId: check digit of .* should be \d, got \d/,
    );
    await refuses(
      'wrong check digit, spaced and full-width',
      collectedEvent(SOAP_AGENCY, { itemId: ` ${fullWidth(wrongCheckDigit(nextS10()))} ` }),
      /\/data\/itemId: check digit of .* should be/,
    );
    await refuses(
      'item id one digit short',
      collectedEvent(SOAP_AGENCY, { itemId: itemId.slice(0, 3) + itemId.slice(4) }),
      /\/data\/itemId/,
    );
    await refuses(
      'citizen id of 11 digits',
      withData(collectedEvent(SOAP_AGENCY), (data) => {
        data.applicant.citizenId = '04819000123';
      }),
      /\/data\/applicant\/citizenId: must be a citizen id number \(CCCD\) of exactly 12 digits/,
    );
    await refuses(
      'citizen id with a letter O for a zero',
      withData(collectedEvent(SOAP_AGENCY), (data) => {
        data.applicant.citizenId = 'O48190001234';
      }),
      /\/data\/applicant\/citizenId/,
    );
    await refuses(
      'tax code with a wrong check digit',
      withData(collectedEvent(SOAP_AGENCY), (data) => {
        data.applicant = {
          kind: 'organization',
          name: 'Công ty TNHH Sông Hàn',
          taxCode: '0100109107',
          phone: '0236 3822 123',
          address: { line: '1 Bạch Đằng', province: 'Đà Nẵng' },
        };
      }),
      /\/data\/applicant\/taxCode: .*check digit/,
    );
    await refuses(
      'agency code with a missing dot',
      withData(collectedEvent(SOAP_AGENCY), (data) => {
        data.agencyCode = '000.0053.H48';
      }),
      /\/data\/agencyCode: must be an agency code of QCVN 102:2016/,
    );
    await refuses(
      'result item id with a wrong check digit',
      postalEvent('postal.result.collected', itemId, { resultItemId: wrongCheckDigit(nextS10('RR')) }),
      /\/data\/resultItemId: check digit/,
    );
  });
});
