import { DataSource } from 'typeorm';
import { CloudEvent, DossierStatus } from '@bridge/domain';
import { purgeNamespace, RestAgencySimulator } from '@bridge/simulator';
import {
  collectedEvent,
  createTestDatabase,
  nextS10,
  postalEvent,
  publishPostal,
  registerAgencies,
  TEST_AMQP_URL,
  TestDatabase,
  uniqueAmqpPrefix,
} from '@bridge/testing';
import { BridgeStack, FAULTS_ADMIN_KEY } from './bridge-stack';
import { dossierRows, itemIdOf, settleDossiers, sleep } from './fault-flow';
import { FaultTally } from './fault-tally';
import { noDedupeRestAgencyDoc, startNoDedupeRestAgency } from './no-dedupe-agency';
import { PrivateRedis } from './private-redis';

const AGENCY = '000.00.44.H48';
const DOSSIERS = 40;
/** How long Redis stays down at each restart: longer than any agency call in flight. */
const DOWN_MS = 1_500;

/**
 * Redis restarted without persistence (`--save "" --appendonly no`, SHUTDOWN NOSAVE): every
 * queued agency job is gone, while PostgreSQL still holds each dossier waiting for its job.
 * The bridge runs with a short stuck-dossier threshold (BRIDGE_STUCK_DOSSIER_AFTER_MS), so its
 * sweeper enqueues the lost jobs again within seconds. The agency simulator files every request
 * it gets (no de-duplication of its own), so a dossier filed twice would show in its counts;
 * the agency file asks the bridge to look a dossier up before filing it, as for such agencies.
 */
describe('faults: Redis restarted without persistence, every queued agency job lost', () => {
  const tally = new FaultTally('redis restarted without persistence (queued jobs lost)', 'completed');
  let redis: PrivateRedis | undefined;
  let db: TestDatabase | undefined;
  let agency: RestAgencySimulator | undefined;
  let stack: BridgeStack | undefined;
  const ns = uniqueAmqpPrefix('fwipe');

  beforeAll(async () => {
    redis = await PrivateRedis.start('none');
    db = await createTestDatabase('fwipe');
    agency = await startNoDedupeRestAgency(AGENCY, 150);
    await registerAgencies(db.dataSource, [noDedupeRestAgencyDoc(AGENCY, agency.url, { concurrency: 4 })]);
    stack = await BridgeStack.start('standalone', {
      DATABASE_URL: db.url,
      BRIDGE_NAMESPACE: ns,
      REDIS_URL: redis.url,
      BRIDGE_STUCK_DOSSIER_AFTER_MS: '2000',
      BRIDGE_STUCK_DOSSIER_SWEEP_MS: '500',
    });
  }, 120_000);

  afterAll(async () => {
    tally.print();
    await stack?.stop();
    if (redis)
      await purgeNamespace(ns, { amqpUrl: TEST_AMQP_URL, redisUrl: redis.url }).catch(() => undefined);
    await agency?.close();
    await redis?.stop();
    await db?.drop();
  }, 120_000);

  it('restarts Redis while submissions wait and again while delivery notices wait: every dossier completed, none lost, none filed twice', async () => {
    const ds = db!.dataSource;
    const started = Date.now();
    const events = Array.from({ length: DOSSIERS }, () => collectedEvent(AGENCY));
    const itemIds = events.map(itemIdOf);

    /** Restarts Redis empty; returns how many jobs the agency's queue held just before. */
    const restartEmpty = async (what: string): Promise<number> => {
      const queued = await queuedJobs(stack!);
      tally.injected(
        `restart without persistence at ${Math.round((Date.now() - started) / 1000)} s, ${queued} ${what} queued`,
      );
      await redis!.restart(DOWN_MS);
      return queued;
    };

    // Submissions: Redis loses its data while most submit jobs still wait in the agency's queue.
    await publishPostal(`${ns}.postal.inbound`, events);
    await untilStatus(ds, itemIds, 'received', 3);
    const lostSubmissions = await restartEmpty('submissions');
    await untilStatus(ds, itemIds, 'received', DOSSIERS);

    // The agency's officers finish every dossier; the post collects and delivers the results.
    for (const row of await dossierRows(ds, itemIds)) {
      await agency!.driveStatus(row.agencyDossierCode!, 'processing');
      await agency!.driveStatus(row.agencyDossierCode!, 'result_ready');
    }
    await untilStatus(ds, itemIds, 'result_ready', DOSSIERS);
    await postAll(
      stack!,
      itemIds.map((item) => postalEvent('postal.result.collected', item, { resultItemId: nextS10('RR') })),
    );
    await untilStatus(ds, itemIds, 'result_collected', DOSSIERS);
    await postAll(
      stack!,
      itemIds.map((item) => postalEvent('postal.result.delivered', item)),
    );

    // Delivery notices: Redis loses its data again while most of them wait.
    await untilStatus(ds, itemIds, 'completed', 3);
    const lostNotices = await restartEmpty('delivery notices');

    const outcome = await settleDossiers({
      ds,
      tally,
      itemIds,
      filedCount: (row) => agency!.filedCount(row.id),
      timeoutMs: 60_000,
    });
    expect(tally.injectedFaults).toHaveLength(2);
    // Each restart really took queued work with it.
    expect(lostSubmissions).toBeGreaterThan(0);
    expect(lostNotices).toBeGreaterThan(0);
    expect({ lost: outcome.lost, duplicates: outcome.duplicates, stuck: outcome.stuck }).toEqual({
      lost: 0,
      duplicates: 0,
      stuck: [],
    });
    expect(outcome.completed).toBe(DOSSIERS);
    // The agency holds each dossier once, and was told of each delivery.
    const held = agency!.dossiers();
    expect(held).toHaveLength(DOSSIERS);
    expect(held.filter((h) => h.trangThai === 'DA_TRA')).toHaveLength(DOSSIERS);
  }, 150_000);
});

/** Jobs in the agency's queue (waiting, active, delayed or paused), as the ops overview shows them. */
async function queuedJobs(stack: BridgeStack): Promise<number> {
  const response = await fetch(`${stack.http.url}/api/v1/ops/overview`, {
    headers: { authorization: `Bearer ${FAULTS_ADMIN_KEY}` },
  });
  if (response.status !== 200) throw new Error(`ops overview answered ${response.status}`);
  const { agencies } = (await response.json()) as {
    agencies: { code: string; queue: Record<'waiting' | 'active' | 'delayed' | 'paused', number> }[];
  };
  const queue = agencies.find((a) => a.code === AGENCY)?.queue;
  return queue ? queue.waiting + queue.active + queue.delayed + queue.paused : 0;
}

/** Posts postal events to the bridge's HTTP ingress in one batch; it must answer 202. */
async function postAll(stack: BridgeStack, events: CloudEvent[]): Promise<void> {
  const response = await stack.post(events);
  if (response.status !== 202)
    throw new Error(`postal events answered ${response.status}: ${await response.text()}`);
}

/**
 * Waits until at least `atLeast` of the dossiers of `itemIds` are in `status`; names how many
 * are in which status when they never get there.
 */
async function untilStatus(
  ds: DataSource,
  itemIds: string[],
  status: DossierStatus,
  atLeast: number,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await dossierRows(ds, itemIds);
    if (rows.filter((r) => r.status === status).length >= atLeast) return;
    if (Date.now() > deadline) {
      const by = new Map<string, number>();
      for (const r of rows) by.set(r.status, (by.get(r.status) ?? 0) + 1);
      throw new Error(
        `${atLeast} dossiers did not reach ${status} within ${timeoutMs} ms: ${[...by].map(([s, n]) => `${n} ${s}`).join(', ')}`,
      );
    }
    await sleep(100);
  }
}
