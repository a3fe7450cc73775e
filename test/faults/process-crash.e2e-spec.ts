import { CloudEvent } from '@bridge/domain';
import { RestAgencySimulator } from '@bridge/simulator';
import {
  collectedEvent,
  createTestDatabase,
  EventTap,
  publishPostal,
  registerAgencies,
  TestDatabase,
  uniqueAmqpPrefix,
} from '@bridge/testing';
import { BridgeStack } from './bridge-stack';
import { dossierRows, itemIdOf, paced, randomMoments, settleDossiers, sleep } from './fault-flow';
import { FaultTally } from './fault-tally';
import { LifecycleDriver } from './lifecycle-driver';
import { noDedupeRestAgencyDoc, startNoDedupeRestAgency } from './no-dedupe-agency';

const WORKER_AGENCY = '000.00.31.H48';
const GATEWAY_AGENCY = '000.00.32.H48';

/** One scenario's own world: schema, namespace, agency simulator and bridge processes. */
interface World {
  db: TestDatabase;
  ns: string;
  agency: RestAgencySimulator;
  stack: BridgeStack;
}

async function startWorld(label: string, code: string, latencyMs: number): Promise<World> {
  const ns = uniqueAmqpPrefix(label);
  const db = await createTestDatabase(label);
  const agency = await startNoDedupeRestAgency(code, latencyMs);
  try {
    await registerAgencies(db.dataSource, [noDedupeRestAgencyDoc(code, agency.url, { concurrency: 4 })]);
    const stack = await BridgeStack.start('split', { DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns });
    return { db, ns, agency, stack };
  } catch (error) {
    await agency.close();
    await db.drop();
    throw error;
  }
}

async function stopWorld(world: World | undefined): Promise<void> {
  await world?.stack.stop();
  await world?.agency.close();
  await world?.db.drop();
}

/** Starts a scenario at once; its `it` awaits it. Never an unhandled rejection meanwhile. */
function launch<T>(run: () => Promise<T>): Promise<T> {
  const running = run();
  running.catch(() => undefined);
  return running;
}

/**
 * SIGKILL of bridge processes with dossiers in flight, gateway and worker run apart. The two
 * scenarios run side by side, each in its own schema and namespace. Their agencies cannot
 * de-duplicate (every filing request makes a new dossier, the bridge looks a dossier up before
 * filing it), so a dossier filed twice shows in the agency's counts.
 */
describe('faults: bridge processes killed with SIGKILL', () => {
  const workerTally = new FaultTally('worker SIGKILL x3 (split layout)', 'completed');
  const gatewayTally = new FaultTally('gateway SIGKILL mid-request', 'received');
  let workerWorld: World | undefined;
  let gatewayWorld: World | undefined;
  let tap: EventTap | undefined;
  let workerRun: Promise<{ itemIds: string[]; settled: Awaited<ReturnType<typeof settleDossiers>> }>;
  let gatewayRun: Promise<GatewayOutcome>;

  beforeAll(async () => {
    workerWorld = await startWorld('fkworker', WORKER_AGENCY, 300);
    gatewayWorld = await startWorld('fkgateway', GATEWAY_AGENCY, 0);
    tap = await EventTap.start(`${workerWorld.ns}.bridge.events`);
    workerRun = launch(() => killWorkerRepeatedly(workerWorld!, workerTally));
    gatewayRun = launch(() => killGatewayMidRequest(gatewayWorld!, gatewayTally));
  }, 90_000);

  afterAll(async () => {
    workerTally.print();
    gatewayTally.print();
    await tap?.close();
    await Promise.all([stopWorld(workerWorld), stopWorld(gatewayWorld)]);
  }, 90_000);

  it('kills the worker three times at random moments: nothing lost, nothing filed twice, every dossier completed', async () => {
    const { itemIds, settled: outcome } = await workerRun;
    expect(workerTally.injectedFaults).toHaveLength(3);
    expect({ lost: outcome.lost, duplicates: outcome.duplicates, stuck: outcome.stuck }).toEqual({
      lost: 0,
      duplicates: 0,
      stuck: [],
    });
    expect(outcome.completed).toBe(outcome.dossiers);

    // The postal backend's view: every dossier's story arrives whole, in sequence, ending completed.
    const rows = await dossierRows(workerWorld!.db.dataSource, itemIds);
    await tap!.waitFor(
      (events) => rows.every((r) => events.some((e) => e.subject === r.id && e.type === 'dossier.completed')),
      30_000,
      'dossier.completed of every dossier',
    );
    const unique = tap!.unique();
    for (const row of rows) {
      const sequences = unique
        .filter((e) => e.subject === row.id && e.type.startsWith('dossier.'))
        .map((e) => (e.data as { sequence: number }).sequence)
        .sort((a, b) => a - b);
      expect(sequences).toEqual(Array.from({ length: row.sequence }, (_, i) => i + 1));
    }
  }, 240_000);

  it('kills the gateway mid-request: every 202 was applied, and resending the whole batch applies each event once', async () => {
    const outcome = await gatewayRun;
    expect(gatewayTally.injectedFaults).toHaveLength(2);
    // Some requests were cut off by the kill: the client saw an error, not a 202.
    expect(outcome.failedBatches).toBeGreaterThan(0);
    expect(outcome.acknowledgedButMissing).toEqual([]);
    expect(outcome.resentStatuses).toEqual(outcome.resentStatuses.map(() => 202));
    expect(outcome.acknowledgedNotDuplicate).toEqual([]);
    expect(outcome.inboxRows).toBe(outcome.settled.dossiers);
    // Each dossier left behind is named with its status and dead letter, if any.
    expect({
      lost: outcome.settled.lost,
      duplicates: outcome.settled.duplicates,
      stuck: outcome.settled.stuck,
    }).toEqual({ lost: 0, duplicates: 0, stuck: [] });
    expect(outcome.settled.completed).toBe(outcome.settled.dossiers);
  }, 240_000);

  /**
   * 40 dossiers published over 12 s on AMQP and driven through the whole lifecycle; the worker
   * is killed at three random moments of the first 16 s and started again each time.
   */
  async function killWorkerRepeatedly(world: World, tally: FaultTally) {
    const events = Array.from({ length: 40 }, () => collectedEvent(WORKER_AGENCY));
    const published: string[] = [];
    const driver = new LifecycleDriver(
      world.db.dataSource,
      world.stack,
      (code, status) => world.agency.driveStatus(code, status),
      () => published,
    );
    driver.start();
    const started = Date.now();
    const flow = paced(events, 12_000, async (event) => {
      await publishPostal(`${world.ns}.postal.inbound`, [event]);
      published.push(itemIdOf(event));
    });
    for (const moment of randomMoments(3, 1_500, 16_000, 4_000)) {
      const wait = started + moment - Date.now();
      if (wait > 0) await sleep(wait);
      await world.stack.kill('worker');
      tally.injected(`worker SIGKILL at ${Math.round((Date.now() - started) / 100) / 10} s`);
      await world.stack.startRole('worker');
    }
    await flow;
    try {
      const settled = await settleDossiers({
        ds: world.db.dataSource,
        tally,
        itemIds: published,
        filedCount: (row) => world.agency.filedCount(row.id),
        timeoutMs: 120_000,
      });
      return { itemIds: published, settled };
    } finally {
      await driver.stop();
    }
  }
});

interface GatewayOutcome {
  failedBatches: number;
  /** Events of batches answered 202 that the bridge does not hold. */
  acknowledgedButMissing: string[];
  resentStatuses: number[];
  /** Events of batches answered 202 whose resend was not reported as a duplicate. */
  acknowledgedNotDuplicate: string[];
  inboxRows: number;
  settled: Awaited<ReturnType<typeof settleDossiers>>;
}

/**
 * Three clients keep posting batches of 10 collected events to the gateway; the gateway is
 * killed at a random moment and started again, twice. Then the postal backend resends every
 * batch, as it must when it is unsure.
 */
/** Most batches of ten events the clients send in one round of the gateway scenario. */
const MAX_BATCHES = 40;

async function killGatewayMidRequest(world: World, tally: FaultTally): Promise<GatewayOutcome> {
  const batches: CloudEvent[][] = [];
  const answered = new Map<CloudEvent[], number>();
  let failedBatches = 0;
  for (let round = 0; round < 2; round++) {
    // Three clients post batches back to back until the gateway is killed, so requests are in
    // flight at that moment whatever the gateway's speed (at most MAX_BATCHES a round).
    let sent = 0;
    let killed = false;
    const client = async () => {
      while (!killed && sent < MAX_BATCHES) {
        const batch = Array.from({ length: 10 }, () => collectedEvent(GATEWAY_AGENCY));
        batches.push(batch);
        sent++;
        try {
          answered.set(batch, (await world.stack.post(batch)).status);
        } catch {
          failedBatches++;
        }
      }
    };
    const clients = Promise.all([client(), client(), client()]);
    const deadline = Date.now() + 150 + Math.random() * 400;
    while (Date.now() < deadline && sent < MAX_BATCHES / 2) await sleep(5);
    await world.stack.kill('gateway');
    killed = true;
    tally.injected(`gateway SIGKILL in round ${round + 1}`);
    await clients;
    await world.stack.startRole('gateway');
  }

  const ds = world.db.dataSource;
  const acknowledged = batches.filter((b) => answered.get(b) === 202).flat();
  const held = new Set((await dossierRows(ds, acknowledged.map(itemIdOf))).map((r) => r.inboundItemId));
  const acknowledgedButMissing = acknowledged.map(itemIdOf).filter((id) => !held.has(id));

  const resentStatuses: number[] = [];
  const acknowledgedNotDuplicate: string[] = [];
  for (const batch of batches) {
    const response = await world.stack.post(batch);
    resentStatuses.push(response.status);
    const body = (await response.json()) as { outcomes?: { eventId: string; outcome: string }[] };
    if (answered.get(batch) !== 202) continue;
    for (const o of body.outcomes ?? [])
      if (o.outcome !== 'duplicate') acknowledgedNotDuplicate.push(o.eventId);
  }
  const all = batches.flat();
  const [{ n: inboxRows }] = await ds.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)`,
    [all.map((e) => e.id)],
  );
  const settled = await settleDossiers({
    ds,
    tally,
    itemIds: all.map(itemIdOf),
    filedCount: (row) => world.agency.filedCount(row.id),
    // The agency takes 20 filings a second (its file's rate limit) and the clients sent up to
    // 800 events: each dossier gets its share of that limit twice over, beyond a minute and a half.
    timeoutMs: 90_000 + all.length * 100,
  });
  return {
    failedBatches,
    acknowledgedButMissing,
    resentStatuses,
    acknowledgedNotDuplicate,
    inboxRows,
    settled,
  };
}
