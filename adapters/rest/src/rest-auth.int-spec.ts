import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  AdapterSpec,
  IntegrationErrorCode,
  MemoryAdapterStore,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { RestAgencySimulator } from '@bridge/simulator';
import { restAdapterFactory } from './rest-adapter.factory';
import { exampleRestSpec, recordingContext, SESSION_CREDENTIALS } from './rest-test-kit';

const agencyId = { code: '000.00.53.H48', name: 'UBND phường Hải Châu' };

/** A tiny OAuth2 server: a token endpoint and one protected probe endpoint. */
class TinyOAuthServer {
  tokenRequests = 0;
  apiRequests = 0;
  basicSeen: string[] = [];
  readonly valid = new Map<string, number>();
  constructor(
    readonly server: Server,
    public expiresIn: number,
  ) {}

  static async start(expiresIn: number): Promise<TinyOAuthServer> {
    const server = createServer();
    const tiny = new TinyOAuthServer(server, expiresIn);
    server.on('request', (req, res) => tiny.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return tiny;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/oauth/token') {
      this.tokenRequests++;
      this.basicSeen.push(
        Buffer.from((req.headers.authorization ?? '').replace('Basic ', ''), 'base64').toString(),
      );
      const token = randomBytes(16).toString('hex');
      this.valid.set(token, Date.now() + this.expiresIn * 1000);
      return send(200, { access_token: token, token_type: 'Bearer', expires_in: this.expiresIn });
    }
    this.apiRequests++;
    const token = (req.headers.authorization ?? '').replace('Bearer ', '');
    if ((this.valid.get(token) ?? 0) < Date.now()) return send(401, { error: 'invalid_token' });
    send(200, { trangThai: 'HOAT_DONG' });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('rest adapter: OAuth2 client credentials', () => {
  let tiny: TinyOAuthServer;
  const oauthSpec = (url: string): AdapterSpec =>
    exampleRestSpec(url, {
      auth: {
        type: 'oauth2-client-credentials',
        tokenUrl: '/oauth/token',
        clientId: 'buudien-dn',
        clientSecret: 'S3cret-oauth-value',
      },
    });

  beforeEach(async () => {
    tiny = await TinyOAuthServer.start(2);
  });
  afterEach(() => tiny.close());

  it('reuses one token across calls and fetches a new one after it expires', async () => {
    const adapter = restAdapterFactory.create(agencyId, oauthSpec(tiny.url), { logger: silentAdapterLogger });
    const ctx = recordingContext();
    for (let i = 0; i < 3; i++) expect((await adapter.probe(ctx)).ok).toBe(true);
    expect(tiny.tokenRequests).toBe(1);
    expect(tiny.basicSeen[0]).toBe('buudien-dn:S3cret-oauth-value');

    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await adapter.probe(ctx)).ok).toBe(true);
    expect(tiny.tokenRequests).toBe(2);
    // Refreshed before expiry: the agency never had to refuse a stale token.
    expect(tiny.apiRequests).toBe(4);

    const log = JSON.stringify(ctx.messages);
    expect(log).not.toContain('S3cret-oauth-value');
    for (const token of tiny.valid.keys()) expect(log).not.toContain(token);
  });

  it('shares the token through the bridge store between adapter instances', async () => {
    const store = new MemoryAdapterStore();
    const first = restAdapterFactory.create(agencyId, oauthSpec(tiny.url), {
      logger: silentAdapterLogger,
      store,
    });
    const second = restAdapterFactory.create(agencyId, oauthSpec(tiny.url), {
      logger: silentAdapterLogger,
      store,
    });
    await first.probe(recordingContext());
    await second.probe(recordingContext());
    expect(tiny.tokenRequests).toBe(1);
  });

  it('on a 401 fetches a new token once and retries; a second 401 is AUTH', async () => {
    tiny.expiresIn = 3600;
    const adapter = restAdapterFactory.create(agencyId, oauthSpec(tiny.url), { logger: silentAdapterLogger });
    await adapter.probe(recordingContext());
    tiny.valid.clear(); // the agency revoked every token it issued
    expect((await adapter.probe(recordingContext())).ok).toBe(true);
    expect(tiny.tokenRequests).toBe(2);

    tiny.expiresIn = -1; // from now on every token it issues is already dead
    tiny.valid.clear();
    const apiBefore = tiny.apiRequests;
    await expect(
      adapter.lookup('5f0c7d2e-8a41-4c3b-9e6f-2b7a1d9c4e10', recordingContext()),
    ).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
    });
    expect(tiny.apiRequests - apiBefore).toBe(2);
  });
});

describe('rest adapter: session login (vendor B)', () => {
  let agency: RestAgencySimulator;
  beforeEach(async () => {
    agency = await RestAgencySimulator.start({ port: 0, auth: SESSION_CREDENTIALS });
  });
  afterEach(() => agency.close());

  it('logs in once, logs in again when the session ends, and never records the password or token', async () => {
    const adapter = restAdapterFactory.create(agencyId, exampleRestSpec(agency.url), {
      logger: silentAdapterLogger,
    });
    const ctx = recordingContext();
    await adapter.probe(ctx);
    await adapter.lookup('5f0c7d2e-8a41-4c3b-9e6f-2b7a1d9c4e10', ctx);
    expect(agency.loginCount).toBe(1);

    agency.expireSessions();
    expect((await adapter.probe(ctx)).ok).toBe(true);
    expect(agency.loginCount).toBe(2);

    const logins = ctx.messages.filter((m) => m.operation === 'login');
    expect(logins.find((m) => m.direction === 'outbound')?.body).toBe(
      '{"tenDangNhap":"buudien.haichau","matKhau":"***"}',
    );
    const log = JSON.stringify(ctx.messages);
    expect(log).not.toContain(SESSION_CREDENTIALS.password);
    expect(log).not.toMatch(/[0-9a-f]{48}/); // the simulator's session tokens
  });

  it('a wrong password is AUTH, and the probe says so', async () => {
    const spec = exampleRestSpec(agency.url);
    spec.auth = {
      type: 'session-login',
      loginUrl: '/api/dangnhap',
      username: 'buudien.haichau',
      password: 'sai-mat-khau',
    };
    const adapter = restAdapterFactory.create(agencyId, spec, { logger: silentAdapterLogger });
    await expect(adapter.lookup('x', recordingContext())).rejects.toMatchObject({
      code: IntegrationErrorCode.AUTH,
    });
    const probe = await adapter.probe(recordingContext());
    expect(probe.ok).toBe(false);
    expect(probe.detail).toContain('Sai tên đăng nhập hoặc mật khẩu');
  });

  it('works in API-key mode with the key in a header', async () => {
    const keyed = await RestAgencySimulator.start({
      port: 0,
      auth: { mode: 'api-key', key: 'khoa-api-haichau' },
    });
    try {
      const spec = exampleRestSpec(keyed.url, {
        auth: { type: 'api-key', header: 'X-Api-Key', key: 'khoa-api-haichau' },
      });
      const adapter = restAdapterFactory.create(agencyId, spec, { logger: silentAdapterLogger });
      expect((await adapter.probe(recordingContext())).ok).toBe(true);
      const wrong = restAdapterFactory.create(
        agencyId,
        { ...spec, auth: { type: 'api-key', header: 'X-Api-Key', key: 'sai' } },
        {
          logger: silentAdapterLogger,
        },
      );
      await expect(wrong.lookup('x', recordingContext())).rejects.toMatchObject({
        code: IntegrationErrorCode.AUTH,
      });
    } finally {
      await keyed.close();
    }
  });
});
