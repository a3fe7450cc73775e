import { RestAgencySimulator } from '@bridge/simulator';
import {
  collectedEvent,
  createTestDatabase,
  publishPostal,
  registerAgencies,
  TEST_AMQP_URL,
  uniqueAmqpPrefix,
} from '@bridge/testing';
import { BridgeStack } from './bridge-stack';
import { DurableTap } from './durable-tap';
import {
  dossierRows,
  itemIdOf,
  paced,
  publishUntilConfirmed,
  randomMoments,
  settleDossiers,
  sleep,
} from './fault-flow';
import { FaultTally } from './fault-tally';
import { noDedupeRestAgencyDoc, startNoDedupeRestAgency } from './no-dedupe-agency';
import { PrivateDatabase } from './private-database';
import { PrivateRabbit } from './private-rabbit';
import { PrivateRedis } from './private-redis';

const DOSSIERS = 40;
const FLOW_MS = 14_000;

/**
 * What the scenarios tear down at the end: first the processes and clients (in parallel), then
 * the services under them. Each step has its own time limit, so one that hangs cannot keep the
 * others from running (and leave a broker or a bridge behind).
 */
const cleanups: { processes: (() => Promise<unknown>)[]; services: (() => Promise<unknown>)[] } = {
  processes: [],
  services: [],
};
function cleanup(phase: keyof typeof cleanups, step: () => Promise<unknown>): void {
  cleanups[phase].push(step);
}
async function runCleanups(): Promise<void> {
  const limited = async (step: () => Promise<unknown>) => {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise((resolve) => (timer = setTimeout(resolve, 50_000)));
    await Promise.race([step().catch(() => undefined), limit]);
    clearTimeout(timer);
  };
  await Promise.all(cleanups.processes.map(limited));
  await Promise.all(cleanups.services.map(limited));
}

/** Starts a scenario at once; its `it` awaits it. Never an unhandled rejection meanwhile. */
function launch<T>(run: () => Promise<T>): Promise<T> {
  const running = run();
  running.catch(() => undefined);
  return running;
}

/** An agency that cannot de-duplicate, so a dossier filed twice shows in its counts. */
async function startAgency(code: string): Promise<RestAgencySimulator> {
  const agency = await startNoDedupeRestAgency(code, 100);
  cleanup('services', () => agency.close());
  return agency;
}

async function startStack(env: Record<string, string>): Promise<BridgeStack> {
  const stack = await BridgeStack.start('standalone', env);
  cleanup('processes', () => stack.stop());
  return stack;
}

/**
 * Outages of the services the bridge stands on — the broker restarted, Redis restarted, the
 * database's connections cut — with dossiers in flight. Each scenario has a service of its own
 * (a private RabbitMQ node, a private Redis server, a private database), so the outages never
 * reach the other tests running on this machine, and the three run side by side.
 */
describe('faults: the broker, Redis and PostgreSQL go away and come back', () => {
  const tallies = {
    broker: new FaultTally('broker restart (stop_app/start_app)', 'received'),
    redis: new FaultTally('redis clients killed, paused, restarted', 'received'),
    postgres: new FaultTally('postgres backends terminated', 'received'),
  };
  let broker: ReturnType<typeof brokerRestarts>;
  let redis: ReturnType<typeof redisOutages>;
  let postgres: ReturnType<typeof postgresTerminations>;

  beforeAll(() => {
    broker = launch(() => brokerRestarts(tallies.broker));
    redis = launch(() => redisOutages(tallies.redis));
    postgres = launch(() => postgresTerminations(tallies.postgres));
  });

  afterAll(async () => {
    for (const tally of Object.values(tallies)) tally.print();
    // Whatever failed, every service of our own and every process goes away.
    await Promise.allSettled([broker, redis, postgres]);
    await runCleanups();
  }, 120_000);

  it('restarts the broker twice: every confirmed postal event becomes a received dossier, its events all reach bridge.events', async () => {
    const outcome = await broker;
    expect(tallies.broker.injectedFaults).toHaveLength(2);
    expect({ lost: outcome.lost, duplicates: outcome.duplicates, stuck: outcome.stuck }).toEqual({
      lost: 0,
      duplicates: 0,
      stuck: [],
    });
    expect(outcome.completed).toBe(DOSSIERS);
    expect(outcome.missingEvents).toEqual([]);
  }, 240_000);

  it('kills the Redis clients, pauses Redis, restarts it: nothing lost, nothing filed twice, all received', async () => {
    const outcome = await redis;
    expect(tallies.redis.injectedFaults).toHaveLength(3);
    expect({ lost: outcome.lost, duplicates: outcome.duplicates, stuck: outcome.stuck }).toEqual({
      lost: 0,
      duplicates: 0,
      stuck: [],
    });
    expect(outcome.completed).toBe(DOSSIERS);
  }, 240_000);

  it("terminates the bridge's PostgreSQL backends four times: nothing lost, nothing filed twice, all received", async () => {
    const outcome = await postgres;
    expect(tallies.postgres.injectedFaults).toHaveLength(4);
    expect(outcome.terminated).toBeGreaterThan(0);
    expect({ lost: outcome.lost, duplicates: outcome.duplicates, stuck: outcome.stuck }).toEqual({
      lost: 0,
      duplicates: 0,
      stuck: [],
    });
    expect(outcome.completed).toBe(DOSSIERS);
  }, 240_000);
});

/**
 * A standalone bridge on a private RabbitMQ node; 40 postal events published over 14 s by a
 * postal system that republishes what the broker did not confirm; the broker application is
 * stopped for 3 s and started again at two random moments.
 */
async function brokerRestarts(tally: FaultTally) {
  const code = '000.00.41.H48';
  const rabbit = await PrivateRabbit.start();
  cleanup('services', () => rabbit.stop());
  const ns = uniqueAmqpPrefix('fbroker');
  const db = await createTestDatabase('fbroker');
  cleanup('services', () => db.drop());
  const agency = await startAgency(code);
  await registerAgencies(db.dataSource, [noDedupeRestAgencyDoc(code, agency.url, { concurrency: 4 })]);
  await startStack({ DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns, AMQP_URL: rabbit.url });
  const tap = await DurableTap.start(rabbit.url, `${ns}.bridge.events`);
  cleanup('processes', () => tap.close());

  const events = Array.from({ length: DOSSIERS }, () => collectedEvent(code));
  const started = Date.now();
  const flow = paced(events, FLOW_MS, async (event) => {
    await publishUntilConfirmed(`${ns}.postal.inbound`, [event], rabbit.url);
  });
  for (const moment of randomMoments(2, 1_000, FLOW_MS, 5_000)) {
    await sleep(started + moment - Date.now());
    tally.injected(`broker stop_app at ${Math.round((Date.now() - started) / 1000)} s`);
    await rabbit.restartApp(3_000);
  }
  await flow;
  const itemIds = events.map(itemIdOf);
  const settled = await settleDossiers({
    ds: db.dataSource,
    tally,
    itemIds,
    filedCount: (row) => agency.filedCount(row.id),
    timeoutMs: 90_000,
  });
  // The postal backend's view: collected, submitted, received of every dossier, in sequence.
  const rows = await dossierRows(db.dataSource, itemIds);
  const missingEvents = await tap.missingDossierEvents(rows.map((r) => r.id));
  return { ...settled, missingEvents };
}

/**
 * A standalone bridge on a private Redis server; 40 dossiers over 14 s; at three random
 * moments every Redis client is disconnected, Redis is paused for 3 s, Redis is restarted
 * (down for 3 s).
 */
async function redisOutages(tally: FaultTally) {
  const code = '000.00.42.H48';
  const redis = await PrivateRedis.start();
  cleanup('services', () => redis.stop());
  const ns = uniqueAmqpPrefix('fredis');
  const db = await createTestDatabase('fredis');
  cleanup('services', () => db.drop());
  const agency = await startAgency(code);
  await registerAgencies(db.dataSource, [noDedupeRestAgencyDoc(code, agency.url, { concurrency: 4 })]);
  await startStack({ DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns, REDIS_URL: redis.url });

  const events = Array.from({ length: DOSSIERS }, () => collectedEvent(code));
  const started = Date.now();
  const flow = paced(events, FLOW_MS, (event) =>
    publishPostal(`${ns}.postal.inbound`, [event], TEST_AMQP_URL),
  );
  const faults: [string, () => Promise<unknown>][] = [
    ['CLIENT KILL TYPE normal', () => redis.cli('client', 'kill', 'type', 'normal')],
    ['CLIENT PAUSE 3000', () => redis.cli('client', 'pause', '3000', 'all')],
    ['restart (down 3 s)', () => redis.restart(3_000)],
  ];
  const moments = randomMoments(faults.length, 1_000, FLOW_MS + 3_000, 4_000);
  for (const [i, [what, inject]] of faults.entries()) {
    await sleep(started + moments[i] - Date.now());
    tally.injected(`${what} at ${Math.round((Date.now() - started) / 1000)} s`);
    await inject();
  }
  await flow;
  return settleDossiers({
    ds: db.dataSource,
    tally,
    itemIds: events.map(itemIdOf),
    filedCount: (row) => agency.filedCount(row.id),
    timeoutMs: 90_000,
  });
}

/**
 * A standalone bridge on a database of its own; 40 dossiers over 14 s; every backend of the
 * bridge is terminated at four random moments.
 */
async function postgresTerminations(tally: FaultTally) {
  const code = '000.00.43.H48';
  const db = await PrivateDatabase.create('fpg');
  cleanup('services', () => db.drop());
  const ns = uniqueAmqpPrefix('fpg');
  const agency = await startAgency(code);
  await registerAgencies(db.dataSource, [noDedupeRestAgencyDoc(code, agency.url, { concurrency: 4 })]);
  await startStack({ DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns });

  const events = Array.from({ length: DOSSIERS }, () => collectedEvent(code));
  const started = Date.now();
  const flow = paced(events, FLOW_MS, (event) =>
    publishPostal(`${ns}.postal.inbound`, [event], TEST_AMQP_URL),
  );
  let terminated = 0;
  for (const moment of randomMoments(4, 1_000, FLOW_MS, 2_500)) {
    await sleep(started + moment - Date.now());
    const killed = await db.terminateBridgeBackends();
    terminated += killed.terminated;
    tally.injected(
      `${killed.terminated} backends (${killed.named} named) terminated at ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }
  await flow;
  const settled = await settleDossiers({
    ds: db.dataSource,
    tally,
    itemIds: events.map(itemIdOf),
    filedCount: (row) => agency.filedCount(row.id),
    timeoutMs: 90_000,
  });
  return { ...settled, terminated };
}
