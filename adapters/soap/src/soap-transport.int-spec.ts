import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { IntegrationError, IntegrationErrorCode } from '@bridge/adapter-sdk';
import { buildSoapFault } from './soap-fault';
import { SoapTransport } from './soap-transport';
import { recordingContext } from './soap-test-kit';

interface Answer {
  status: number;
  contentType?: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** A deliberately misbehaving endpoint: answers whatever the test queued, records what it got. */
describe('SOAP transport against broken answers', () => {
  let server: Server;
  let next: Answer;
  let received: { headers: IncomingHttpHeaders; body: string };
  let transport: (version: '1.1' | '1.2') => SoapTransport;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = { headers: req.headers, body: Buffer.concat(chunks).toString() };
        const headers: Record<string, string> = { ...next.headers };
        if (next.contentType) headers['content-type'] = next.contentType;
        res.writeHead(next.status, headers).end(next.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}/LienThong.asmx?apiKey=k1`;
    transport = (version) =>
      new SoapTransport({
        endpoint,
        version,
        timeoutMs: 2000,
        auth: { type: 'basic', username: 'u', password: 'p' },
      });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function failure(answer: Answer, version: '1.1' | '1.2' = '1.1'): Promise<IntegrationError> {
    next = answer;
    try {
      await transport(version).call(
        'lookup',
        { name: 'TraCuuHoSo', soapAction: 'urn:a/TraCuuHoSo' },
        '<x/>',
        recordingContext(),
      );
    } catch (error) {
      if (error instanceof IntegrationError) return error;
      throw error;
    }
    throw new Error('the call succeeded');
  }

  it.each<[string, Answer, string]>([
    [
      'an HTML error page',
      { status: 200, contentType: 'text/html', body: '<html><head><title>Lỗi 500</title></head></html>' },
      'an HTML page "Lỗi 500"',
    ],
    [
      'truncated XML',
      { status: 200, contentType: 'text/xml', body: '<soap:Envelope xmlns:soap="x"><soap:Body><A>' },
      'truncated',
    ],
    [
      'a JSON answer',
      { status: 200, contentType: 'application/json', body: '{"ok":true}' },
      'content type application/json',
    ],
    ['an empty body', { status: 200, contentType: 'text/xml', body: '' }, 'empty body'],
    [
      'an envelope without Body',
      { status: 200, contentType: 'text/xml', body: '<soap:Envelope xmlns:soap="x"/>' },
      'no Body',
    ],
    [
      'bytes that are not UTF-8',
      {
        status: 200,
        contentType: 'text/xml',
        body: Buffer.from([0x3c, 0x61, 0x3e, 0xd0, 0xe0, 0x3c, 0x2f, 0x61, 0x3e]),
      },
      'not valid UTF-8',
    ],
    [
      'a 502 from a proxy',
      { status: 502, contentType: 'text/html', body: '<html>Bad Gateway</html>' },
      'HTTP 502',
    ],
    [
      'a Server fault',
      { status: 500, contentType: 'text/xml', body: buildSoapFault('1.1', 'Server', 'CSDL mất kết nối') },
      'CSDL mất kết nối',
    ],
  ])('%s is TEMPORARY and the message says what was wrong', async (_name, answer, words) => {
    const error = await failure(answer);
    expect([error.code, error.message]).toEqual([
      IntegrationErrorCode.TEMPORARY,
      expect.stringContaining(words),
    ]);
  });

  it.each<[string, Answer, IntegrationErrorCode]>([
    [
      'a 1.2 Sender fault',
      { status: 400, contentType: 'application/soap+xml', body: buildSoapFault('1.2', 'Sender', 'x') },
      IntegrationErrorCode.PERMANENT,
    ],
    [
      'a DOCTYPE answer',
      { status: 200, contentType: 'text/xml', body: '<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>' },
      IntegrationErrorCode.PERMANENT,
    ],
    ['a 401', { status: 401, contentType: 'text/html', body: 'no' }, IntegrationErrorCode.AUTH],
    [
      'a 503 with Retry-After',
      { status: 503, body: '', headers: { 'retry-after': '7' } },
      IntegrationErrorCode.RATE_LIMITED,
    ],
  ])('%s maps to its error class', async (_name, answer, code) => {
    expect((await failure(answer)).code).toBe(code);
  });

  it('sends SOAPAction (1.1) or the action parameter (1.2), auth headers, and logs no secrets', async () => {
    next = {
      status: 200,
      contentType: 'text/xml',
      body: '<s:Envelope xmlns:s="x"><s:Body><R>1</R></s:Body></s:Envelope>',
    };
    const ctx = recordingContext();
    const envelope = await transport('1.1').call(
      'lookup',
      { name: 'TraCuuHoSo', soapAction: 'urn:a/TraCuuHoSo' },
      '<x/>',
      ctx,
    );
    expect(envelope.body).toEqual({ R: '1' });
    expect(received.headers).toMatchObject({
      soapaction: '"urn:a/TraCuuHoSo"',
      'content-type': 'text/xml; charset=utf-8',
    });
    expect(received.headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(ctx.messages.map((m) => m.endpoint)).toEqual([
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/LienThong\.asmx\?apiKey=\*\*\*$/),
      expect.anything(),
    ]);
    await transport('1.2').call(
      'lookup',
      { name: 'TraCuuHoSo', soapAction: 'urn:a/TraCuuHoSo' },
      '<x/>',
      recordingContext(),
    );
    expect(received.headers['content-type']).toBe(
      'application/soap+xml; charset=utf-8; action="urn:a/TraCuuHoSo"',
    );
    expect(received.headers.soapaction).toBeUndefined();
  });
});
