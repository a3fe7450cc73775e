import { DataSource } from 'typeorm';
import { CloudEvent } from '@bridge/domain';
import { DossierEntity } from '@bridge/persistence';
import { RestAgencySimulator } from '@bridge/simulator';
import {
  BridgeProcess,
  closeAmqpConnectionsNamed,
  collectedEvent,
  createTestDatabase,
  EventTap,
  publishPostal,
  registerAgencies,
  restAgencyDoc,
  TEST_AGENCY_API_KEY,
  TEST_SECRET_KEY,
  TestDatabase,
  uniqueAmqpPrefix,
} from '@bridge/testing';

const AGENCY = '000.00.71.H48';

async function receivedCount(ds: DataSource, itemIds: string[]): Promise<number> {
  return ds
    .getRepository(DossierEntity)
    .createQueryBuilder('d')
    .where('d.inbound_item_id IN (:...itemIds)', { itemIds })
    .andWhere("d.status = 'received'")
    .getCount();
}

async function waitAllReceived(ds: DataSource, itemIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  while ((count = await receivedCount(ds, itemIds)) < itemIds.length) {
    if (Date.now() > deadline)
      throw new Error(`only ${count} of ${itemIds.length} dossiers received within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Per dossier, the sequences of the unique events a deduplicating consumer keeps. */
function sequencesByDossier(events: CloudEvent[]): Map<string, number[]> {
  const byDossier = new Map<string, number[]>();
  for (const event of events) {
    if (!event.type.startsWith('dossier.')) continue;
    const list = byDossier.get(event.subject!) ?? [];
    list.push((event.data as { sequence: number }).sequence);
    byDossier.set(event.subject!, list);
  }
  return byDossier;
}

/**
 * Crashes with dossiers in flight: a bridge killed with SIGKILL mid-delivery, and the broker
 * closing the bridge's connection mid-run. Nothing is lost, nothing is filed twice.
 */
describe('backbone under crashes', () => {
  let db: TestDatabase;
  let agency: RestAgencySimulator;
  let tap: EventTap;
  let ns: string;
  const bridges: BridgeProcess[] = [];
  const env = () => ({ DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns, BRIDGE_SECRET_KEY: TEST_SECRET_KEY });

  beforeAll(async () => {
    ns = uniqueAmqpPrefix('crash');
    db = await createTestDatabase('crash');
    agency = await RestAgencySimulator.start({
      auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
      agencyCode: AGENCY,
    });
    await registerAgencies(db.dataSource, [restAgencyDoc(AGENCY, agency.url, { concurrency: 8 })]);
    tap = await EventTap.start(`${ns}.bridge.events`);
  });

  afterAll(async () => {
    for (const bridge of bridges) await bridge.stop();
    await tap?.close();
    await agency?.close();
    await db?.drop();
  });

  it('loses nothing and files nothing twice when the worker is killed with SIGKILL mid-delivery', async () => {
    agency.setLatency(1_500);
    const first = await BridgeProcess.start({ role: 'standalone', env: env() });
    bridges.push(first);
    const events = Array.from({ length: 20 }, () => collectedEvent(AGENCY));
    await publishPostal(`${ns}.postal.inbound`, events);
    const itemIds = events.map((e) => (e.data as { itemId: string }).itemId);

    // Kill while agency calls are in flight (each takes 1.5 s).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await first.kill();
    agency.setLatency(0);

    const second = await BridgeProcess.start({ role: 'standalone', env: env() });
    bridges.push(second);
    await waitAllReceived(db.dataSource, itemIds, 60_000);

    const dossiers = await db.dataSource
      .getRepository(DossierEntity)
      .createQueryBuilder('d')
      .where('d.inbound_item_id IN (:...itemIds)', { itemIds })
      .getMany();
    expect(dossiers).toHaveLength(20);
    for (const dossier of dossiers) expect(await agency.filedCount(dossier.id)).toBe(1);
    await second.stop();
  });

  it('delivers every event exactly once per dossier sequence when the broker closes the connection mid-run', async () => {
    const bridge = await BridgeProcess.start({ role: 'standalone', env: env() });
    bridges.push(bridge);
    const events = Array.from({ length: 30 }, () => collectedEvent(AGENCY));
    const itemIds = events.map((e) => (e.data as { itemId: string }).itemId);
    await publishPostal(`${ns}.postal.inbound`, events.slice(0, 15));
    const closed = await closeAmqpConnectionsNamed(`postal-one-stop-bridge-all-${bridge.child.pid}`);
    expect(closed).toBe(1);
    await publishPostal(`${ns}.postal.inbound`, events.slice(15));
    await waitAllReceived(db.dataSource, itemIds, 60_000);

    const ids = (
      await db.dataSource
        .getRepository(DossierEntity)
        .createQueryBuilder('d')
        .where('d.inbound_item_id IN (:...itemIds)', { itemIds })
        .getMany()
    ).map((d) => d.id);
    await tap.waitFor(
      (all) => ids.every((id) => all.some((e) => e.subject === id && e.type === 'dossier.received')),
      30_000,
      'received events',
    );
    const sequences = sequencesByDossier(tap.unique());
    for (const id of ids) expect(sequences.get(id)).toEqual([1, 2, 3]);
    await bridge.stop();
  });
});
