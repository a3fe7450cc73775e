import request from 'supertest';
import { collectedEvent } from '@bridge/testing';
import { HostileGateway, SOAP_AGENCY, startHostileGateway } from './hostile-gateway';
import { HostileTally, residentMb } from './hostile-tally';

const tally = new HostileTally('postal events');
const PATH = '/api/v1/postal/events';

type Doc = Record<string, unknown>;

function messagesOf(body: unknown): string {
  const message = (body as { message?: unknown })?.message;
  return Array.isArray(message) ? message.join('\n') : String(message);
}

describe('hostile CloudEvents at POST /api/v1/postal/events', () => {
  let gateway: HostileGateway;
  let auth: string;

  beforeAll(async () => {
    gateway = await startHostileGateway('postal');
    auth = `Bearer ${(await gateway.keys.create({ name: 'vnpost', role: 'postal' })).key}`;
  });

  afterAll(async () => {
    tally.print();
    await gateway?.close();
  });

  function post(body: unknown, contentType = 'application/cloudevents+json') {
    return request(gateway.server())
      .post(PATH)
      .set('Authorization', auth)
      .set('Content-Type', contentType)
      .send(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  }

  /** Sends one bad document: the answer must be `status` with a message matching `reason`, and no table may change. */
  function refuses(
    label: string,
    body: unknown,
    status: number,
    reason: RegExp,
    contentType?: string,
  ): Promise<void> {
    return refusesAnswer(label, () => post(body, contentType), status, reason);
  }

  /** The same for any request `send` makes. */
  async function refusesAnswer(
    label: string,
    send: () => Promise<{ status: number; body: unknown }>,
    status: number,
    reason: RegExp,
  ): Promise<void> {
    const before = await gateway.rowCounts();
    const response = await send();
    const after = await gateway.rowCounts();
    const message = messagesOf(response.body);
    tally.record(label, {
      clean: response.status === status && reason.test(message),
      crashed: response.status >= 500,
      halfApplied: JSON.stringify(after) !== JSON.stringify(before),
    });
    expect({ label, status: response.status, message }).toEqual({
      label,
      status,
      message: expect.stringMatching(reason),
    });
    expect(after).toEqual(before);
  }

  it('accepts a valid batch (the control)', async () => {
    const response = await post([collectedEvent(SOAP_AGENCY), collectedEvent(SOAP_AGENCY)]);
    expect(response.status).toBe(202);
    expect((response.body as { outcomes: { outcome: string }[] }).outcomes).toHaveLength(2);
  });

  it('refuses missing and mistyped CloudEvent attributes, naming each', async () => {
    for (const attribute of ['specversion', 'id', 'source', 'type', 'data']) {
      const event = collectedEvent(SOAP_AGENCY) as unknown as Doc;
      delete event[attribute];
      await refuses(`missing ${attribute}`, event, 400, new RegExp(`/${attribute}`));
    }
    const mistyped: [string, Doc, RegExp][] = [
      ['id as a number', { id: 12345 }, /\/id: must be of type string/],
      ['specversion 0.3', { specversion: '0.3' }, /\/specversion: must be "1.0"/],
      ['time not a timestamp', { time: 'hôm qua' }, /\/time/],
      ['data as a string', { data: 'EC136431858VN' }, /\/data: must be of type object/],
      ['source empty', { source: '' }, /\/source/],
      ['event as an array inside an array', { data: [[]] }, /\/data/],
    ];
    for (const [label, patch, reason] of mistyped)
      await refuses(label, { ...collectedEvent(SOAP_AGENCY), ...patch }, 400, reason);
    await refuses('a JSON string', '"postal.dossier.collected"', 400, /JSON/);
    await refuses('JSON null', 'null', 400, /JSON/);
    await refuses('a number', '42', 400, /JSON/);
  });

  it('refuses unknown types and unknown fields', async () => {
    await refuses(
      'unknown type',
      { ...collectedEvent(SOAP_AGENCY), type: 'postal.dossier.teleported' },
      400,
      /unknown event type "postal.dossier.teleported"/,
    );
    await refuses(
      'bridge event type posted in',
      { ...collectedEvent(SOAP_AGENCY), type: 'dossier.completed' },
      400,
      /unknown event type "dossier.completed"/,
    );
    const event = collectedEvent(SOAP_AGENCY);
    await refuses(
      'unknown data field',
      { ...event, data: { ...(event.data as Doc), giamGia: 100 } },
      400,
      /\/data\/giamGia: is not a known field/,
    );
  });

  it('refuses text no database column can hold (U+0000), naming the field', async () => {
    const event = collectedEvent(SOAP_AGENCY);
    const data = event.data as Doc & { applicant: Doc };
    await refuses(
      'NUL character in a name',
      { ...event, data: { ...data, applicant: { ...data.applicant, fullName: 'Trần\u0000 Văn' } } },
      400,
      /\/data\/applicant\/fullName: contains a NUL character/,
    );
  });

  it('refuses a batch with one bad element and applies none of it', async () => {
    const good = [collectedEvent(SOAP_AGENCY), collectedEvent(SOAP_AGENCY)];
    const bad = { ...collectedEvent(SOAP_AGENCY), specversion: '2.0' };
    await refuses('batch with one bad element', [good[0], bad, good[1]], 400, /\[1\] \/specversion/);
    await refuses('empty batch', [], 400, /the batch is empty/);
    const many = Array.from({ length: 501 }, () => collectedEvent(SOAP_AGENCY));
    await refuses('501 events', many, 400, /at most 500 events, got 501/);
  });

  it('keeps the first of two events sharing an id and answers 409 to the second', async () => {
    const first = collectedEvent(SOAP_AGENCY);
    expect((await post(first)).status).toBe(202);
    const data = first.data as { itemId: string; applicant: Doc };
    const second = { ...first, data: { ...data, applicant: { ...data.applicant, fullName: 'Kẻ Mạo Danh' } } };
    await refuses('same id, other content', second, 409, /already received with different content/);
    const dossier = await request(gateway.server())
      .get(`/api/v1/dossiers/${data.itemId}`)
      .set('Authorization', `Bearer ${gateway.adminKey}`);
    expect(dossier.status).toBe(200);
    expect(JSON.stringify(dossier.body)).toContain('Nguyễn Thị Thủy');
    expect(JSON.stringify(dossier.body)).not.toContain('Kẻ Mạo Danh');
  });

  it('refuses bodies that are not JSON, too large, too deep, or of another content type', async () => {
    const rssBefore = residentMb();
    await refuses('not JSON', '{"specversion": "1.0", "id": ', 400, /JSON/);
    await refuses('XML body', '<event/>', 400, /JSON/);
    const hugeData = { ...collectedEvent(SOAP_AGENCY), data: { blob: 'x'.repeat(6 * 1024 * 1024) } };
    await refuses('6 MB data', hugeData, 413, /above the limit of 5242880 bytes/);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    await refuses(
      '100,000 nested arrays in data',
      `{"specversion":"1.0","id":"x","source":"/s","type":"postal.result.delivered","data":${deep}}`,
      400,
      /\/data\/0: nests deeper than 32 levels/,
    );
    await refuses(
      'JSON as text/plain',
      collectedEvent(SOAP_AGENCY),
      415,
      /Content-Type must be one of application\/json, .*; got "text\/plain"/,
      'text/plain',
    );
    await refuses(
      'form-encoded body',
      'specversion=1.0&type=postal.result.delivered',
      415,
      /got "application\/x-www-form-urlencoded"/,
      'application/x-www-form-urlencoded',
    );
    expect(residentMb() - rssBefore).toBeLessThan(200);
  });

  describe('binary mode (ce-* headers, the data as the body)', () => {
    /** The binary-mode form of a structured event: every attribute but data in a ce- header. */
    function binaryHeaders(event: Doc): Record<string, string> {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(event))
        if (name !== 'data' && name !== 'datacontenttype')
          headers[`ce-${name}`] = encodeURIComponent(String(value));
      return headers;
    }

    function postBinary(headers: Record<string, string>, data: unknown) {
      return request(gateway.server())
        .post(PATH)
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .set(headers)
        .send(JSON.stringify(data));
    }

    const refusesBinary = (
      label: string,
      headers: Record<string, string>,
      data: unknown,
      status: number,
      reason: RegExp,
    ) => refusesAnswer(label, () => postBinary(headers, data), status, reason);

    it('accepts a collected dossier in binary mode as it does in structured mode, with percent-encoded attributes', async () => {
      const event = collectedEvent(SOAP_AGENCY, { id: `bin ${Date.now()} ư` }) as unknown as Doc;
      const response = await postBinary(binaryHeaders(event), event.data);
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ eventId: event.id, outcome: 'applied', status: 'collected' });
      // The same event again, now structured: the same (source, id), so a duplicate.
      const again = await post(event);
      expect(again.body).toMatchObject({ eventId: event.id, outcome: 'duplicate' });
    });

    it('refuses ce- headers without ce-specversion, an attribute too long, a header too large, a bad encoding', async () => {
      const event = collectedEvent(SOAP_AGENCY) as unknown as Doc;
      const headers = binaryHeaders(event);
      const { ['ce-specversion']: _version, ...unversioned } = headers;
      await refusesBinary(
        'binary without ce-specversion',
        unversioned,
        event.data,
        400,
        /without ce-specversion/,
      );
      await refusesBinary(
        'binary ce-id of 8,000 characters',
        { ...headers, 'ce-id': 'x'.repeat(8_000) },
        event.data,
        400,
        /\/id: is longer than 256 characters/,
      );
      // Beyond Node's 16 KiB of headers the server answers before the bridge reads anything.
      await refusesBinary(
        'binary ce-subject of 100,000 characters',
        { ...headers, 'ce-subject': 's'.repeat(100_000) },
        event.data,
        431,
        /.*/,
      );
      await refusesBinary(
        'binary bad percent-encoding',
        { ...headers, 'ce-source': '%E0%A4%A' },
        event.data,
        400,
        /ce-source is not valid percent-encoded/,
      );
      await refusesBinary(
        'binary data as a header',
        { ...headers, 'ce-data': '{}' },
        event.data,
        400,
        /ce-data is not an attribute/,
      );
    });
  });
});
