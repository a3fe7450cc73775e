import { once } from 'node:events';
import {
  BridgeProcess,
  createTestDatabase,
  TEST_SECRET_KEY,
  TestDatabase,
  uniqueAmqpPrefix,
  waitFor,
} from '@bridge/testing';

/**
 * Readiness checks the three services for real: all up gives 200; one down gives 503 naming it
 * (the reason only in the log), while liveness still answers.
 */
describe('health', () => {
  let db: TestDatabase;
  const started: BridgeProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('health');
  });
  afterAll(async () => {
    await Promise.all(started.map((b) => b.stop()));
    await db.drop();
  });

  async function gateway(env: Record<string, string>): Promise<BridgeProcess> {
    const bridge = await BridgeProcess.start({
      role: 'gateway',
      waitReady: false,
      env: {
        DATABASE_URL: db.url,
        BRIDGE_NAMESPACE: uniqueAmqpPrefix('health'),
        BRIDGE_SECRET_KEY: TEST_SECRET_KEY,
        ...env,
      },
    });
    started.push(bridge);
    await waitFor(
      async () => (await fetch(`${bridge.url}/health/live`).catch(() => undefined))?.status === 200,
      'the gateway to listen',
      30_000,
      200,
    );
    return bridge;
  }

  it('answers 200 with PostgreSQL, Redis and RabbitMQ up', async () => {
    const bridge = await gateway({});
    await bridge.waitReady();
    const body = (await (await fetch(`${bridge.url}/health/ready`)).json()) as {
      details: Record<string, { status: string }>;
    };
    expect(Object.keys(body.details).sort()).toEqual(['postgresql', 'rabbitmq', 'redis']);
  });

  it.each([
    ['redis', { REDIS_URL: 'redis://127.0.0.1:1' }],
    ['rabbitmq', { AMQP_URL: 'amqp://guest:guest@127.0.0.1:1' }],
  ])('answers 503 naming %s when it is down', async (name, env) => {
    const bridge = await gateway(env);
    type Body = {
      error?: Record<string, { status: string; message: string }>;
      info: Record<string, unknown>;
    };
    let status = 0;
    let body: Body = { info: {} };
    // The other services are reported down too until the gateway has connected to them.
    await waitFor(
      async () => {
        const response = await fetch(`${bridge.url}/health/ready`);
        status = response.status;
        body = (await response.json()) as Body;
        return status === 503 && Object.keys(body.error ?? {}).join() === name;
      },
      `/health/ready to name ${name} alone`,
      15_000,
      200,
    ).catch(() => undefined);
    expect(status).toBe(503);
    const error = body.error ?? {};
    expect(Object.keys(error)).toEqual([name]);
    // Which service is down, but not why: error text (hosts, ports, versions) stays in the log.
    expect(error[name]).toEqual({ status: 'down' });
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:1\b|did not answer/);
    expect(body.info).toHaveProperty('postgresql');
  });

  it('refuses to start on a wrong setting and names the variable', async () => {
    const bridge = await BridgeProcess.start({
      role: 'gateway',
      waitReady: false,
      env: { LOG_LEVEL: 'loud' },
    });
    const [code] =
      bridge.child.exitCode === null ? await once(bridge.child, 'exit') : [bridge.child.exitCode];
    expect(code).toBe(1);
    expect(bridge.log()).toMatch(/LOG_LEVEL must be one of/);
  });
});
