import { DataSource } from 'typeorm';
import { DeadLetterService } from '@bridge/core';
import { DeadLetterEntity, DossierEntity, MessageLogEntryEntity } from '@bridge/persistence';
import { RestAgencySimulator } from '@bridge/simulator';
import {
  BridgeProcess,
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
  waitFor,
} from '@bridge/testing';

const FLAKY = '000.00.61.H48';
const BROKEN = '000.00.62.H48';
const DOWN = '000.00.63.H48';
const HEALTHY = '000.00.64.H48';

async function startAgency(code: string): Promise<RestAgencySimulator> {
  return RestAgencySimulator.start({
    auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
    agencyCode: code,
  });
}

/** Waits until `check` holds, naming `what` when it never does. */
function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  return waitFor(check, what, timeoutMs, 150);
}

function dossierIn(ds: DataSource, itemId: string) {
  return ds.getRepository(DossierEntity).findOneBy({ inboundItemId: itemId });
}

/**
 * Retries, dead letters, replay and the circuit breaker, with a real bridge process and REST
 * agency simulators that fail on purpose.
 */
describe('backbone under agency faults', () => {
  let db: TestDatabase;
  let tap: EventTap;
  let bridge: BridgeProcess | undefined;
  let ns: string;
  const agencies: Record<string, RestAgencySimulator> = {};

  beforeAll(async () => {
    ns = uniqueAmqpPrefix('faults');
    db = await createTestDatabase('faults');
    for (const code of [FLAKY, BROKEN, DOWN, HEALTHY]) agencies[code] = await startAgency(code);
    agencies[FLAKY].setErrorRate(1);
    agencies[DOWN].setDown(true);
    const broken = restAgencyDoc(BROKEN, agencies[BROKEN].url);
    const mappings = (broken.adapter as { mappings: Record<string, string> }).mappings;
    mappings.submitRequest = mappings.submitRequest.replace('"maThuTuc"', '"maThuTucCu"');
    await registerAgencies(db.dataSource, [
      restAgencyDoc(FLAKY, agencies[FLAKY].url),
      broken,
      restAgencyDoc(DOWN, agencies[DOWN].url, { circuit: { failureThreshold: 3, openMs: 1500 } }),
      restAgencyDoc(HEALTHY, agencies[HEALTHY].url),
    ]);
    tap = await EventTap.start(`${ns}.bridge.events`);
    bridge = await BridgeProcess.start({
      role: 'standalone',
      env: { DATABASE_URL: db.url, BRIDGE_NAMESPACE: ns, BRIDGE_SECRET_KEY: TEST_SECRET_KEY },
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    await tap?.close();
    for (const agency of Object.values(agencies)) await agency.close();
    await db?.drop();
  });

  it('retries a transiently failing agency with growing delays, then succeeds', async () => {
    const event = collectedEvent(FLAKY);
    const itemId = (event.data as { itemId: string }).itemId;
    await publishPostal(`${ns}.postal.inbound`, [event]);
    await waitFor(async () => !!(await dossierIn(db.dataSource, itemId)), 'the dossier exists', 30_000, 150);
    const { id } = (await dossierIn(db.dataSource, itemId))!;
    const requests = async () =>
      (await submitAttempts(db.dataSource, id))
        .filter((a) => a.direction === 'outbound')
        .map((a) => a.loggedAt.getTime());
    await waitUntil('three failed attempts are logged', async () => (await requests()).length >= 3);
    agencies[FLAKY].setErrorRate(0);
    await waitUntil(
      'the dossier is received',
      async () => (await dossierIn(db.dataSource, itemId))?.status === 'received',
    );
    await waitUntil('the successful attempt is logged', async () => (await requests()).length >= 4);

    const [first, second, third] = await requests();
    expect(third - second).toBeGreaterThan(second - first);
    expect(await agencies[FLAKY].filedCount(id)).toBe(1);
    expect(await db.dataSource.getRepository(DeadLetterEntity).countBy({ dossierId: id })).toBe(0);
  });

  it('dead-letters a permanent failure at once with its reason, and a replay after the fix completes it', async () => {
    const event = collectedEvent(BROKEN);
    const itemId = (event.data as { itemId: string }).itemId;
    await publishPostal(`${ns}.postal.inbound`, [event]);
    await waitUntil(
      'a dead letter exists',
      async () => (await db.dataSource.getRepository(DeadLetterEntity).countBy({ agencyCode: BROKEN })) > 0,
    );
    const letter = await db.dataSource
      .getRepository(DeadLetterEntity)
      .findOneByOrFail({ agencyCode: BROKEN });
    expect(letter.errorCode).toBe('PERMANENT');
    expect(letter.reason).toMatch(/maThuTuc/);
    expect(letter.attempts).toHaveLength(1);
    await tap.waitFor((events) =>
      events.some(
        (e) =>
          e.type === 'delivery.dead_lettered' &&
          (e.data as { deadLetterId: string }).deadLetterId === letter.id,
      ),
    );

    // The IT department fixes the mapping; running workers pick the new version up.
    await registerAgencies(db.dataSource, [restAgencyDoc(BROKEN, agencies[BROKEN].url)]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await new DeadLetterService(db.dataSource).replay(letter.id, 'test operator')).toBe(true);
    await waitUntil(
      'the replayed dossier is received',
      async () => (await dossierIn(db.dataSource, itemId))?.status === 'received',
    );
    expect(await agencies[BROKEN].filedCount(letter.dossierId!)).toBe(1);
  });

  it('opens the circuit of an agency that is down while the agency beside it keeps delivering, and closes it when it is back', async () => {
    const down = Array.from({ length: 5 }, () => collectedEvent(DOWN));
    const healthy = Array.from({ length: 10 }, () => collectedEvent(HEALTHY));
    await publishPostal(`${ns}.postal.inbound`, [...down, ...healthy]);

    await tap.waitFor(
      (events) => events.some((e) => e.type === 'agency.circuit_opened' && e.subject === DOWN),
      30_000,
      'circuit opened',
    );
    for (const event of healthy) {
      const itemId = (event.data as { itemId: string }).itemId;
      await waitUntil(
        `healthy dossier ${itemId} received`,
        async () => (await dossierIn(db.dataSource, itemId))?.status === 'received',
        15_000,
      );
    }
    agencies[DOWN].setDown(false);
    await tap.waitFor(
      (events) => events.some((e) => e.type === 'agency.circuit_closed' && e.subject === DOWN),
      30_000,
      'circuit closed',
    );
    for (const event of down) {
      const itemId = (event.data as { itemId: string }).itemId;
      await waitUntil(
        `down agency's dossier ${itemId} received`,
        async () => (await dossierIn(db.dataSource, itemId))?.status === 'received',
        30_000,
      );
    }
  });
});

async function submitAttempts(ds: DataSource, dossierId: string): Promise<MessageLogEntryEntity[]> {
  return ds
    .getRepository(MessageLogEntryEntity)
    .find({ where: { dossierId, operation: 'submit' }, order: { id: 'ASC' } });
}
