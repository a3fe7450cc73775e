import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GATEWAY_AGENCY_A as A, GATEWAY_AGENCY_B as B, startTestGateway, TestGateway } from '@bridge/testing';
import { setupApiDocs } from '../docs/api-docs';

/** Who calls: a key of each role, and the three ways to have no valid key. */
type Caller = 'admin' | 'operator' | 'postal' | 'agencyA' | 'agencyB' | 'none' | 'wrong' | 'revoked';
const CALLERS: Caller[] = ['admin', 'operator', 'postal', 'agencyA', 'agencyB', 'none', 'wrong', 'revoked'];

/** Who a route lets in: `public`, or the roles besides admin (agency = the agency named in the path). */
type Access = 'public' | Array<'operator' | 'postal' | 'agency'>;

interface RouteCase {
  method: 'get' | 'post' | 'put' | 'delete';
  /** The route as Express knows it, to check the table covers every route. */
  route: string;
  /** The concrete URL called. */
  url: string;
  access: Access;
  body?: unknown;
  /** The agency the URL names, for agency keys. */
  agency?: string;
}

const UNKNOWN_AGENCY = '999.99.99.H99';
const NO_SUCH_ID = randomUUID();

/**
 * Every route of the gateway with who may call it. Calls are chosen to change nothing when
 * allowed (unknown ids, empty bodies), so the table can run in any order.
 */
const ROUTES: RouteCase[] = [
  { method: 'get', route: '/health/live', url: '/health/live', access: 'public' },
  { method: 'get', route: '/health/ready', url: '/health/ready', access: 'public' },
  { method: 'get', route: '/docs', url: '/docs', access: 'public' },
  { method: 'get', route: '/docs-json', url: '/docs-json', access: 'public' },
  { method: 'get', route: '/asyncapi', url: '/asyncapi', access: 'public' },
  { method: 'get', route: '/asyncapi.yaml', url: '/asyncapi.yaml', access: 'public' },
  { method: 'get', route: '/metrics', url: '/metrics', access: ['operator'] },
  {
    method: 'post',
    route: '/api/v1/postal/events',
    url: '/api/v1/postal/events',
    access: ['postal', 'operator'],
    body: {},
  },
  {
    method: 'post',
    route: '/api/v1/postal/tracking',
    url: '/api/v1/postal/tracking',
    access: ['postal', 'operator'],
    body: {},
  },
  // The operations dashboard: the page and its files hold no data; it calls the ops API with a key.
  { method: 'get', route: '/ops', url: '/ops', access: 'public' },
  { method: 'get', route: '/ops/assets/:name', url: '/ops/assets/none.js', access: 'public' },
  { method: 'get', route: '/api/v1/dossiers', url: '/api/v1/dossiers', access: ['operator', 'postal'] },
  {
    method: 'get',
    route: '/api/v1/dossiers/:ref',
    url: '/api/v1/dossiers/EC000000000VN',
    access: ['operator', 'postal'],
  },
  { method: 'get', route: '/api/v1/agencies', url: '/api/v1/agencies', access: ['operator'] },
  { method: 'post', route: '/api/v1/agencies', url: '/api/v1/agencies', access: [], body: {} },
  {
    method: 'get',
    route: '/api/v1/agencies/:code',
    url: `/api/v1/agencies/${A}`,
    access: ['operator'],
    agency: A,
  },
  {
    method: 'put',
    route: '/api/v1/agencies/:code',
    url: `/api/v1/agencies/${UNKNOWN_AGENCY}`,
    access: [],
    body: { code: 'x' },
  },
  {
    method: 'delete',
    route: '/api/v1/agencies/:code',
    url: `/api/v1/agencies/${UNKNOWN_AGENCY}`,
    access: [],
  },
  {
    method: 'post',
    route: '/api/v1/agencies/:code/test',
    url: `/api/v1/agencies/${UNKNOWN_AGENCY}/test`,
    access: ['operator'],
  },
  {
    method: 'post',
    route: '/api/v1/agencies/:code/preview',
    url: `/api/v1/agencies/${UNKNOWN_AGENCY}/preview`,
    access: ['operator'],
    body: {},
  },
  {
    method: 'post',
    route: '/api/v1/agencies/:code/callback',
    url: `/api/v1/agencies/${A}/callback`,
    access: ['agency'],
    agency: A,
  },
  {
    method: 'post',
    route: '/soap/agencies/:code',
    url: `/soap/agencies/${A}`,
    access: ['agency'],
    agency: A,
  },
  { method: 'get', route: '/api/v1/ops/overview', url: '/api/v1/ops/overview', access: ['operator'] },
  {
    method: 'get',
    route: '/api/v1/ops/history',
    url: '/api/v1/ops/history?window=24h',
    access: ['operator'],
  },
  { method: 'get', route: '/api/v1/ops/hierarchy', url: '/api/v1/ops/hierarchy', access: ['operator'] },
  {
    method: 'get',
    route: '/api/v1/ops/dossiers/late',
    url: '/api/v1/ops/dossiers/late',
    access: ['operator'],
  },
  { method: 'get', route: '/api/v1/ops/messages', url: '/api/v1/ops/messages?limit=5', access: ['operator'] },
  { method: 'get', route: '/api/v1/ops/dead-letters', url: '/api/v1/ops/dead-letters', access: ['operator'] },
  {
    method: 'get',
    route: '/api/v1/ops/dead-letters/:id',
    url: `/api/v1/ops/dead-letters/${NO_SUCH_ID}`,
    access: ['operator'],
  },
  {
    method: 'post',
    route: '/api/v1/ops/dead-letters/replay',
    url: '/api/v1/ops/dead-letters/replay',
    access: ['operator'],
    body: { agency: UNKNOWN_AGENCY },
  },
  {
    method: 'post',
    route: '/api/v1/ops/dead-letters/:id/replay',
    url: `/api/v1/ops/dead-letters/${NO_SUCH_ID}/replay`,
    access: ['operator'],
  },
  {
    method: 'post',
    route: '/api/v1/ops/dead-letters/:id/discard',
    url: `/api/v1/ops/dead-letters/${NO_SUCH_ID}/discard`,
    access: ['operator'],
  },
  {
    method: 'post',
    route: '/api/v1/ops/agencies/:code/pause',
    url: `/api/v1/ops/agencies/${UNKNOWN_AGENCY}/pause`,
    access: ['operator'],
  },
  {
    method: 'post',
    route: '/api/v1/ops/agencies/:code/resume',
    url: `/api/v1/ops/agencies/${UNKNOWN_AGENCY}/resume`,
    access: ['operator'],
  },
  // An agency key on its own agency's callback passes, on another agency's it does not.
  {
    method: 'post',
    route: '/api/v1/agencies/:code/callback',
    url: `/api/v1/agencies/${B}/callback`,
    access: ['agency'],
    agency: B,
  },
  {
    method: 'post',
    route: '/soap/agencies/:code',
    url: `/soap/agencies/${B}`,
    access: ['agency'],
    agency: B,
  },
];

/** What the guard must answer: 'pass' (anything but 401/403), 401 or 403. */
function expected(route: RouteCase, caller: Caller): 'pass' | 401 | 403 {
  if (route.access === 'public') return 'pass';
  if (caller === 'none' || caller === 'wrong' || caller === 'revoked') return 401;
  if (caller === 'admin') return 'pass';
  if (caller === 'operator' || caller === 'postal') return route.access.includes(caller) ? 'pass' : 403;
  const own = caller === 'agencyA' ? A : B;
  return route.access.includes('agency') && route.agency === own ? 'pass' : 403;
}

describe('gateway: every route × every role', () => {
  let gw: TestGateway;
  const keys = {} as Record<Caller, string | undefined>;

  beforeAll(async () => {
    gw = await startTestGateway('access', {
      beforeInit: (app) => void setupApiDocs(app),
      // The matrix sends hundreds of wrong keys from one address on purpose; guessing is tried
      // in test/hostile/key-guessing.e2e-spec.ts.
      env: { BRIDGE_AUTH_FAILURE_LIMIT: '100000' },
    });
    keys.admin = (await gw.keys.create({ name: 'quản trị', role: 'admin' })).key;
    keys.operator = (await gw.keys.create({ name: 'trực ca', role: 'operator' })).key;
    keys.postal = (await gw.keys.create({ name: 'bưu điện', role: 'postal' })).key;
    keys.agencyA = (await gw.keys.create({ name: 'Hải Châu', role: `agency:${A}` })).key;
    keys.agencyB = (await gw.keys.create({ name: 'Sơn Trà', role: `agency:${B}` })).key;
    keys.none = undefined;
    keys.wrong = `pob_AAAAAAAA_${'b'.repeat(32)}`;
    const revoked = await gw.keys.create({ name: 'nghỉ việc', role: 'operator' });
    await gw.keys.revoke(revoked.id);
    keys.revoked = revoked.key;
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('lists every route the gateway serves', () => {
    const router = (gw.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
    const served = router.stack
      .filter((l) => l.route)
      .flatMap((l) =>
        Object.keys(l.route!.methods)
          .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
          .map((m) => `${m.toUpperCase()} ${l.route!.path}`),
      )
      // Swagger UI's assets, and the catch-all paths of global middleware, are not endpoints.
      // Bull Board (/ops/queues) is an express router behind its own operator check (Bearer or
      // Basic), proven in test/e2e/dashboard.e2e-spec.ts.
      .filter((r) => !r.startsWith('GET /docs/') && r !== 'GET /docs-yaml' && !r.includes('{*'))
      .filter((r) => !r.endsWith(' /ops/queues'));
    const listed = new Set(ROUTES.map((r) => `${r.method.toUpperCase()} ${r.route}`));
    expect([...new Set(served)].filter((r) => !listed.has(r)).sort()).toEqual([]);
  });

  const table = ROUTES.flatMap((route) => CALLERS.map((caller) => [route, caller] as const));
  it.each(table.map(([r, c]) => [`${r.method.toUpperCase()} ${r.url}`, c, expected(r, c), r] as const))(
    '%s as %s → %s',
    async (_name, caller, want, route) => {
      let call = request(gw.server())[route.method](route.url);
      const key = keys[caller];
      if (key) call = call.set('Authorization', `Bearer ${key}`);
      const response = await (route.body === undefined ? call : call.send(route.body as object));
      if (want === 'pass') {
        expect([401, 403]).not.toContain(response.status);
        // A business answer, not a crash; SOAP 1.1 answers a client fault with 500 by its rules.
        if (route.route.startsWith('/soap/')) expect(response.text).toContain('Fault');
        else expect(response.status).toBeLessThan(500);
      } else if (want === 401) {
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
        expect(response.body).toMatchObject({ message: 'missing or invalid API key' });
      } else {
        expect(response.status).toBe(403);
        expect(String((response.body as { message?: string }).message)).toMatch(/^role \S+ may not /);
      }
    },
  );

  it('opens /metrics without a key only when BRIDGE_METRICS_PUBLIC=true', async () => {
    const open = await startTestGateway('metricspub', { env: { BRIDGE_METRICS_PUBLIC: 'true' } });
    try {
      const response = await request(open.server()).get('/metrics').expect(200);
      expect(response.text).toContain('bridge_queue_jobs');
    } finally {
      await open.close();
    }
    await request(gw.server()).get('/metrics').expect(401);
  });
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}
