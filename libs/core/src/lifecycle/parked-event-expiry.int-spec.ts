import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DeadLetterEntity, DossierEntity, ParkedEventEntity } from '@bridge/persistence';
import { CloudEvent, PostalEventType } from '@bridge/domain';
import { collectedEvent, createTestDatabase, TestDatabase } from '@bridge/testing';
import { postalEventInput } from '../ingress/postal-event-input';
import { loadConfig } from '@bridge/config';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { Housekeeping } from '../runtime/housekeeping';
import { inTransaction } from '../common/transaction';
import { DossierLedger } from './dossier-ledger';
import { LifecycleInput } from './lifecycle-input';
import { expireParkedEvents, PARKED_EXPIRED } from './parked-event-expiry';

const AGENCY = '000.00.53.H48';
const HOUR = 3_600_000;

function agencyEvent(event: LifecycleInput['event'], ref: string, at: string): LifecycleInput {
  return { event, origin: 'agency', occurredAt: at, correlationId: randomUUID(), ref, agencyCode: AGENCY };
}

describe('parked event expiry (PostgreSQL)', () => {
  let db: TestDatabase;
  let deadLetters: DeadLetterService;

  beforeAll(async () => {
    db = await createTestDatabase('parked_expiry');
    deadLetters = new DeadLetterService(db.dataSource);
  });
  afterAll(() => db.drop());

  const apply = (input: LifecycleInput) =>
    inTransaction(db.dataSource, (manager) => new DossierLedger(manager).apply(input));
  const expire = (dataSource: DataSource = db.dataSource) =>
    expireParkedEvents(dataSource, 24 * HOUR, (manager, letter) => deadLetters.record(manager, letter));

  /** A dossier in `collected` with `agency.dossier.received` parked on it (it needs `submitted`). */
  async function dossierWithParked(): Promise<string> {
    const event = collectedEvent(AGENCY) as CloudEvent<unknown, PostalEventType>;
    const created = await apply(postalEventInput(event, randomUUID()));
    const id = (created as { dossierId: string }).dossierId;
    expect(
      await apply(agencyEvent('agency.dossier.received', id, '2025-09-20T10:00:00+07:00')),
    ).toMatchObject({
      kind: 'parked',
    });
    return id;
  }

  const ageParked = (dossierId: string, ms: number) =>
    db.dataSource.query(
      `UPDATE parked_events SET parked_at = now() - make_interval(secs => $2::double precision / 1000) WHERE dossier_ref = $1`,
      [dossierId, ms],
    );

  it('leaves a parked event younger than the expiry where it is', async () => {
    const id = await dossierWithParked();
    await ageParked(id, 23 * HOUR);
    await expire();
    expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: id })).toBe(1);
    expect(await db.dataSource.getRepository(DeadLetterEntity).countBy({ dossierId: id })).toBe(0);
  });

  it('turns an expired parked event into an open dead letter with the reason, once, and replay applies it', async () => {
    const id = await dossierWithParked();
    await ageParked(id, 25 * HOUR);

    // Two workers sweeping at the same moment: each event is taken by one of them only.
    await Promise.all([expire(), expire(), expire()]);

    expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: id })).toBe(0);
    const letters = await db.dataSource.getRepository(DeadLetterEntity).findBy({ dossierId: id });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      origin: 'parked',
      state: 'open',
      agencyCode: AGENCY,
      operation: 'agency.dossier.received',
      errorCode: PARKED_EXPIRED,
    });
    expect(letters[0].reason).toMatch(/predecessor never arrived .*expects status submitted/);

    // The missing step arrives late; the operator replays the expired event and it applies.
    await apply(agencyEvent('agency.submission.accepted', id, '2025-09-20T09:00:00+07:00'));
    expect(await deadLetters.replay(letters[0].id, 'operator-1')).toBe(true);
    const dossier = await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
    expect(dossier.status).toBe('received');
    expect(
      await db.dataSource.getRepository(DeadLetterEntity).findOneByOrFail({ id: letters[0].id }),
    ).toMatchObject({
      state: 'replayed',
    });
  });

  it('parks a replayed event again when its predecessor is still missing', async () => {
    const id = await dossierWithParked();
    await ageParked(id, 25 * HOUR);
    await expire();
    const [letter] = await db.dataSource.getRepository(DeadLetterEntity).findBy({ dossierId: id });
    expect(await deadLetters.replay(letter.id, 'operator-1')).toBe(true);
    expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: id })).toBe(1);
    expect((await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id })).status).toBe(
      'collected',
    );
  });

  it('is swept by every worker on its own once BRIDGE_PARKED_EVENT_EXPIRY has passed', async () => {
    const id = await dossierWithParked();
    const config = loadConfig({ BRIDGE_PARKED_EVENT_EXPIRY: '2s' });
    const gateway = new Housekeeping('gateway', config, db.dataSource, deadLetters);
    const worker = new Housekeeping('worker', config, db.dataSource, deadLetters);
    gateway.onApplicationBootstrap();
    worker.onApplicationBootstrap();
    try {
      const deadline = Date.now() + 15_000;
      while ((await db.dataSource.getRepository(DeadLetterEntity).countBy({ dossierId: id })) === 0) {
        if (Date.now() > deadline) throw new Error('the parked event did not expire within 15 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: id })).toBe(0);
    } finally {
      await worker.beforeApplicationShutdown();
      await gateway.beforeApplicationShutdown();
    }
  });
});
