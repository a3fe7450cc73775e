import request from 'supertest';
import { collectedEvent, GATEWAY_AGENCY_A, startTestGateway, TestGateway } from '@bridge/testing';
import { ingressRateLimit } from './ingress-throttler.guard';

describe('ingress rate limit', () => {
  let gw: TestGateway;
  let postalKey: string;
  let operatorKey: string;

  beforeAll(async () => {
    gw = await startTestGateway('ratelimit', { env: { BRIDGE_INGRESS_RATE_LIMIT: '3' } });
    postalKey = (await gw.keys.create({ name: 'post', role: 'postal' })).key;
    operatorKey = (await gw.keys.create({ name: 'ops', role: 'operator' })).key;
  });
  afterAll(() => gw.close());

  it('answers 429 with Retry-After once a key sent its share, and counts each key apart', async () => {
    const post = (key: string) =>
      request(gw.server())
        .post('/api/v1/postal/events')
        .set('Authorization', `Bearer ${key}`)
        .send(collectedEvent(GATEWAY_AGENCY_A));
    for (let i = 0; i < 3; i++) expect((await post(postalKey)).status).toBe(202);
    const limited = await post(postalKey);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after-ingress'] ?? limited.headers['retry-after'])).toBeGreaterThan(
      0,
    );
    expect((await post(operatorKey)).status).toBe(202);
  });

  it('refuses a limit that is not a positive integer, naming the variable', () => {
    expect(() => ingressRateLimit({ BRIDGE_INGRESS_RATE_LIMIT: 'lots' })).toThrow(
      /BRIDGE_INGRESS_RATE_LIMIT must be a positive integer/,
    );
    expect(ingressRateLimit({})).toBe(12_000);
  });
});
