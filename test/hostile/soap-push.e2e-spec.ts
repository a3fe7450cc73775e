import request from 'supertest';
import { HostileGateway, SOAP_AGENCY, startHostileGateway } from './hostile-gateway';
import { HostileTally, residentMb } from './hostile-tally';
import { EXAMPLE_TOKEN, faultOf, statusPush as validPush } from './soap-push-kit';
import { buildUsernameTokenHeader } from '@bridge/adapter-soap';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const tally = new HostileTally('soap push');

describe('hostile SOAP pushes at POST /soap/agencies/:code', () => {
  let gateway: HostileGateway;
  let auth: string;

  beforeAll(async () => {
    gateway = await startHostileGateway('soap');
    const key = await gateway.keys.create({ name: 'Hải Châu', role: `agency:${SOAP_AGENCY}` });
    auth = `Bearer ${key.key}`;
  });

  afterAll(async () => {
    tally.print();
    await gateway?.close();
  });

  /**
   * Sends one bad push and checks the contract: a SOAP Client/Sender fault whose reason matches
   * `reason` (or, for an oversized body, 413), answered quickly, and no table changed.
   */
  async function refuses(
    label: string,
    body: Buffer | string,
    reason: RegExp,
    contentType = 'text/xml; charset=utf-8',
  ): Promise<void> {
    const before = await gateway.rowCounts();
    const response = await request(gateway.server())
      .post(`/soap/agencies/${SOAP_AGENCY}`)
      .set('Authorization', auth)
      .set('Content-Type', contentType)
      .send(body);
    const fault = faultOf(response.text);
    const clientFault = fault !== undefined && ['Client', 'Sender'].includes(fault.code);
    const tooLarge = response.status === 413;
    const after = await gateway.rowCounts();
    const halfApplied = JSON.stringify(after) !== JSON.stringify(before);
    tally.record(label, {
      clean: tooLarge || (clientFault && reason.test(fault.message)),
      crashed: response.status >= 500 && !clientFault,
      halfApplied,
    });
    // label and answer in the expectation, so a failure says which input and what came back
    expect({ label, status: response.status, refused: tooLarge || clientFault }).toEqual({
      label,
      status: response.status,
      refused: true,
    });
    if (!tooLarge) expect(fault?.message).toMatch(reason);
    expect(after).toEqual(before);
  }

  it('accepts a well-formed push (the control: the refusals below are about the input)', async () => {
    const response = await request(gateway.server())
      .post(`/soap/agencies/${SOAP_AGENCY}`)
      .set('Authorization', auth)
      .set('Content-Type', 'text/xml; charset=utf-8')
      .send(validPush());
    expect({ status: response.status, body: response.text }).toEqual({
      status: 200,
      body: expect.stringContaining('<b:Accepted>1</b:Accepted>') as string,
    });
  });

  it('refuses DOCTYPE, external entities and billion laughs before anything expands', async () => {
    const envelope = validPush().replace('<?xml version="1.0" encoding="utf-8"?>', '');
    await refuses('doctype', `<!DOCTYPE Envelope>${envelope}`, /DOCTYPE/);
    const xxe = `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${envelope.replace(
      '000.00.53.H48-250916-0099',
      '&xxe;',
    )}`;
    await refuses('external entity', xxe, /DOCTYPE or ENTITY/);
    const laughs = [`<!ENTITY lol "lol">`];
    for (let i = 1; i <= 9; i++)
      laughs.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    await refuses(
      'billion laughs',
      `<?xml version="1.0"?><!DOCTYPE lolz [${laughs.join('')}]><lolz>&lol9;</lolz>`,
      /DOCTYPE or ENTITY/,
    );
    await refuses('entity without doctype', `<!ENTITY x "y">${envelope}`, /DOCTYPE or ENTITY/);
  });

  it('refuses deep nesting, huge bodies and bad bytes with bounded time and memory', async () => {
    const rssBefore = residentMb();
    const started = Date.now();
    const deep = `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${'<a>'.repeat(10_000)}x${'</a>'.repeat(10_000)}</soap:Body></soap:Envelope>`;
    await refuses('10,000 levels', deep, /nested deeper than the limit/);
    const huge = Buffer.alloc(20 * 1024 * 1024, 'a');
    await refuses('20 MB body', huge, /too large|limit/);
    await refuses('20 MB of one element', `<soap:Envelope>${'x'.repeat(20 * 1024 * 1024)}`, /limit/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const invalidUtf8 = Buffer.concat([
      Buffer.from(validPush().slice(0, 200), 'utf8'),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe]),
      Buffer.from(validPush().slice(200), 'utf8'),
    ]);
    await refuses('invalid UTF-8', invalidUtf8, /not valid UTF-8/);
    await refuses('UTF-16 bytes', Buffer.from(validPush(), 'utf16le'), /UTF-8|well-formed/);
    await refuses(
      'declared windows-1258',
      validPush().replace('encoding="utf-8"', 'encoding="windows-1258"'),
      /only UTF-8 is accepted/,
    );
    expect(residentMb() - rssBefore).toBeLessThan(200);
  });

  it('refuses what is not a SOAP envelope with a usable status record', async () => {
    const push = validPush();
    await refuses('empty body', '', /body is empty/);
    await refuses('not XML', 'MaHoSo=000.00.53.H48-250916-0099&TrangThai=9', /not well-formed/);
    await refuses('truncated', push.slice(0, push.length - 40), /truncated/);
    await refuses('mismatched tags', push.replace('</GhiChu>', '</Ghi>'), /does not match/);
    await refuses('two roots', `${push}<soap:Envelope/>`, /more than one root|after the root/);
    await refuses(
      'SOAP without Body',
      `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Header/></soap:Envelope>`,
      /has no Body/,
    );
    await refuses('root is not an Envelope', `<HoSo><MaHoSo>1</MaHoSo></HoSo>`, /not a SOAP envelope/);
    await refuses(
      'empty Body',
      `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body/></soap:Envelope>`,
      /no status record|token/,
    );
  });

  it('refuses an Envelope in the wrong namespace or in none, naming the namespace', async () => {
    const push = validPush();
    await refuses(
      'foreign envelope namespace',
      push.replace(SOAP11, 'http://example.org/not-soap'),
      /namespace "http:\/\/example.org\/not-soap"/,
    );
    await refuses(
      'undeclared envelope prefix',
      push.replace(`xmlns:soap="${SOAP11}"`, ''),
      /prefix "soap" is not declared/,
    );
    await refuses(
      'envelope in no namespace',
      push.replace(/soap:Envelope/g, 'Envelope').replace(`xmlns:soap="${SOAP11}"`, ''),
      /in no namespace/,
    );
  });

  it('refuses a push whose record is unusable, storing nothing', async () => {
    await refuses('unknown status code', validPush().replace('<TrangThai>9<', '<TrangThai>99<'), /99/);
    await refuses(
      'impossible date',
      validPush().replace('20250922101500', '20251399250000'),
      /20251399250000|date/i,
    );
    await refuses(
      'missing token',
      validPush().replace(/<soap:Header>.*<\/soap:Header>/s, ''),
      /UsernameToken/,
    );
  });

  it('refuses tokens without Nonce or Created, out of the window, and any nonce seen before', async () => {
    const text = { ...EXAMPLE_TOKEN, passwordType: 'PasswordText' as const };
    const without = (field: string) => {
      const header = buildUsernameTokenHeader(text);
      const security = header['wsse:Security'] as { 'wsse:UsernameToken': Record<string, unknown> };
      delete security['wsse:UsernameToken'][field];
      return validPush({}, header);
    };
    await refuses('PasswordText without Created', without('wsu:Created'), /needs a Nonce and a Created time/);
    await refuses('PasswordText without Nonce', without('wsse:Nonce'), /needs a Nonce and a Created time/);
    const stale = new Date(Date.now() - 10 * 60_000);
    await refuses(
      'PasswordText created ten minutes ago',
      validPush({}, buildUsernameTokenHeader(text, stale)),
      /Created ".*" is not within 300 s of now/,
    );
    for (const type of ['PasswordText', 'PasswordDigest'] as const) {
      const once = validPush({}, buildUsernameTokenHeader({ ...EXAMPLE_TOKEN, passwordType: type }));
      const first = await request(gateway.server())
        .post(`/soap/agencies/${SOAP_AGENCY}`)
        .set('Authorization', auth)
        .set('Content-Type', 'text/xml; charset=utf-8')
        .send(once);
      expect(first.status).toBe(200);
      await refuses(`${type} push replayed`, once, /nonce was already used \(a replay\)/);
      // The same nonce in a freshly built push (new body, new Created) is a replay all the same.
      const nonce = Buffer.from(/<wsse:Nonce[^>]*>([^<]+)</.exec(once)![1], 'base64');
      const again = validPush(
        { GhiChu: 'khác' },
        buildUsernameTokenHeader({ ...EXAMPLE_TOKEN, passwordType: type }, new Date(), nonce),
      );
      await refuses(`${type} nonce reused in a new push`, again, /nonce was already used/);
    }
  });
});
