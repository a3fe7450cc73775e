import { CloudEvent } from '@bridge/domain';
import { DossierEntity } from '@bridge/persistence';
import { RestAgencySimulator } from '@bridge/simulator';
import {
  BridgeProcess,
  collectedEvent,
  createTestDatabase,
  nextS10,
  postalEvent,
  registerAgencies,
  restAgencyDoc,
  TEST_AGENCY_API_KEY,
  TEST_SECRET_KEY,
  TestDatabase,
  uniqueAmqpPrefix,
} from '@bridge/testing';

const AGENCIES = ['000.00.91.H48', '000.00.92.H48'];
const ADMIN_KEY = 'scale-out-admin-key-0123456789';
const COUNT = 40;

/**
 * Scale-out: one gateway and two workers (each with its own outbox relay, consumer and agency
 * workers) on the same services. Every dossier reaches `completed`; none is filed twice.
 */
describe('scale-out: two workers and two outbox relays', () => {
  let db: TestDatabase;
  let ns: string;
  const processes: BridgeProcess[] = [];
  const agencies: RestAgencySimulator[] = [];

  beforeAll(async () => {
    ns = uniqueAmqpPrefix('scale');
    db = await createTestDatabase('scale');
    for (const code of AGENCIES) {
      agencies.push(
        await RestAgencySimulator.start({
          agencyCode: code,
          latencyMs: 20,
          auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
        }),
      );
    }
    await registerAgencies(
      db.dataSource,
      AGENCIES.map((code, i) => restAgencyDoc(code, agencies[i].url, { concurrency: 4 })),
    );
    const env = {
      DATABASE_URL: db.url,
      BRIDGE_NAMESPACE: ns,
      BRIDGE_SECRET_KEY: TEST_SECRET_KEY,
      BRIDGE_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
    };
    // Every process that started is kept for afterAll to stop, even when another failed to start.
    const started = await Promise.allSettled([
      BridgeProcess.start({ role: 'gateway', env }),
      BridgeProcess.start({ role: 'worker', env }),
      BridgeProcess.start({ role: 'worker', env }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    for (const a of agencies) await a.close();
    await db?.drop();
  });

  async function post(events: CloudEvent[]): Promise<void> {
    const response = await fetch(`${processes[0].url}/api/v1/postal/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(response.status).toBe(202);
  }

  async function statuses(itemIds: string[]): Promise<Map<string, DossierEntity>> {
    const rows = await db.dataSource
      .getRepository(DossierEntity)
      .createQueryBuilder('d')
      .where('d.inbound_item_id IN (:...itemIds)', { itemIds })
      .getMany();
    return new Map(rows.map((r) => [r.inboundItemId!, r]));
  }

  async function waitAll(
    itemIds: string[],
    status: string,
    timeoutMs = 60_000,
  ): Promise<Map<string, DossierEntity>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await statuses(itemIds);
      const done = [...rows.values()].filter((r) => r.status === status).length;
      if (done === itemIds.length) return rows;
      if (Date.now() > deadline) throw new Error(`${done} of ${itemIds.length} dossiers reached ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('completes every dossier and files none twice', async () => {
    const collected = Array.from({ length: COUNT }, (_, i) => collectedEvent(AGENCIES[i % 2]));
    const itemIds = collected.map((e) => (e.data as { itemId: string }).itemId);
    await post(collected);

    const received = await waitAll(itemIds, 'received');
    for (const dossier of received.values()) {
      const agency = agencies[AGENCIES.indexOf(dossier.agencyCode)];
      await agency.driveStatus(dossier.agencyDossierCode!, 'processing');
      await agency.driveStatus(dossier.agencyDossierCode!, 'result_ready');
    }
    await waitAll(itemIds, 'result_ready');
    await post(
      itemIds.map((itemId) =>
        postalEvent('postal.result.collected', itemId, { resultItemId: nextS10('RR') }),
      ),
    );
    await waitAll(itemIds, 'result_collected');
    await post(itemIds.map((itemId) => postalEvent('postal.result.delivered', itemId)));
    const completed = await waitAll(itemIds, 'completed');

    for (const dossier of completed.values()) {
      const agency = agencies[AGENCIES.indexOf(dossier.agencyCode)];
      expect(await agency.filedCount(dossier.id)).toBe(1);
    }
    // Nothing is left behind in the outbox either relay could have skipped.
    const published = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
    );
    expect(published[0].n).toBe(0);
  });
});
