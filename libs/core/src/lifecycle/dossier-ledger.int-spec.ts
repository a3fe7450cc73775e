import { randomUUID } from 'node:crypto';
import {
  DossierEntity,
  OutboxMessageEntity,
  ParkedEventEntity,
  TimelineEntryEntity,
} from '@bridge/persistence';
import { createTestDatabase, nextS10, TestDatabase } from '@bridge/testing';
import { inTransaction } from '../common/transaction';
import { DossierLedger } from './dossier-ledger';
import { LifecycleInput } from './lifecycle-input';

const AGENCY = '000.00.53.H48';

function creation(itemId: string): LifecycleInput {
  return {
    event: 'postal.dossier.collected',
    origin: 'postal',
    occurredAt: '2025-09-20T08:00:00+07:00',
    correlationId: randomUUID(),
    eventId: randomUUID(),
    create: {
      id: randomUUID(),
      inboundItemId: itemId,
      agencyCode: AGENCY,
      procedureCode: '1.001612',
      serviceOption: 'send',
      applicant: { kind: 'person', fullName: 'Lê Thị Hồng' },
      documents: [],
      fees: [],
    } as unknown as LifecycleInput['create'],
  };
}

function agencyEvent(event: LifecycleInput['event'], ref: string, at: string, patch = {}): LifecycleInput {
  return { event, origin: 'agency', occurredAt: at, correlationId: randomUUID(), ref, patch };
}

describe('dossier ledger (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('ledger');
  });
  afterAll(() => db.drop());

  const apply = (input: LifecycleInput) =>
    inTransaction(db.dataSource, (manager) => new DossierLedger(manager).apply(input));

  it('writes the dossier, its timeline line, its event and its job together, and moves it on', async () => {
    const itemId = nextS10();
    const created = await apply(creation(itemId));
    expect(created).toMatchObject({ kind: 'applied', status: 'collected', sequence: 1 });
    const id = (created as { dossierId: string }).dossierId;

    const accepted = await apply(agencyEvent('agency.submission.accepted', id, '2025-09-20T09:00:00+07:00'));
    expect(accepted).toMatchObject({ kind: 'applied', status: 'submitted', sequence: 2 });
    const received = await apply(
      agencyEvent('agency.dossier.received', id, '2025-09-20T10:00:00+07:00', {
        agencyDossierCode: 'H48.53-250920-0001',
        appointmentDate: '2025-09-25',
      }),
    );
    expect(received).toMatchObject({ kind: 'applied', status: 'received', sequence: 3 });

    const dossier = await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
    expect(dossier).toMatchObject({
      status: 'received',
      sequence: 3,
      agencyDossierCode: 'H48.53-250920-0001',
    });
    expect(dossier.appointmentDate?.toISOString()).toBe(new Date('2025-09-25').toISOString());
    expect(dossier.snapshot.timestamps).toEqual({
      collected: '2025-09-20T08:00:00+07:00',
      submitted: '2025-09-20T09:00:00+07:00',
      received: '2025-09-20T10:00:00+07:00',
    });
    const timeline = await db.dataSource
      .getRepository(TimelineEntryEntity)
      .find({ where: { dossierId: id }, order: { id: 'ASC' } });
    expect(timeline.map((t) => [t.fromStatus, t.toStatus, t.sequence])).toEqual([
      [null, 'collected', 1],
      ['collected', 'submitted', 2],
      ['submitted', 'received', 3],
    ]);
    expect(timeline[2].occurredAt.toISOString()).toBe('2025-09-20T03:00:00.000Z');
    const outbox = await db.dataSource
      .getRepository(OutboxMessageEntity)
      .find({ where: { dossierId: id }, order: { id: 'ASC' } });
    expect(outbox.map((o) => [o.kind, o.topic, o.agencyCode])).toEqual([
      ['event', 'dossier.collected', null],
      ['job', 'submit-dossier', AGENCY],
      ['event', 'dossier.submitted', null],
      ['event', 'dossier.received', null],
    ]);
    expect(outbox[3].payload).toMatchObject({ data: { previousStatus: 'submitted', sequence: 3 } });
  });

  it('releases a chain of parked events in the order they fit, each once', async () => {
    const itemId = nextS10();
    // Both agency events arrive before the dossier, the later one first.
    expect(
      await apply(agencyEvent('agency.dossier.received', itemId, '2025-09-20T10:00:00+07:00')),
    ).toMatchObject({ kind: 'parked' });
    expect(
      await apply(agencyEvent('agency.submission.accepted', itemId, '2025-09-20T09:00:00+07:00')),
    ).toMatchObject({ kind: 'parked' });

    const created = await apply(creation(itemId));
    const id = (created as { dossierId: string }).dossierId;

    const dossier = await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
    expect(dossier).toMatchObject({ status: 'received', sequence: 3 });
    expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: itemId })).toBe(0);
    const timeline = await db.dataSource
      .getRepository(TimelineEntryEntity)
      .find({ where: { dossierId: id }, order: { id: 'ASC' } });
    expect(timeline.map((t) => [t.kind, t.toStatus])).toEqual([
      ['status', 'collected'],
      ['status', 'submitted'],
      ['status', 'received'],
    ]);
  });

  it("never releases an agency's parked change onto another agency's dossier that shares the ref", async () => {
    const itemId = nextS10();
    // Another agency names an S10 the bridge does not know yet: the change waits...
    const early = { ...agencyEvent('agency.dossier.withdrawn', itemId, '2025-09-20T09:00:00+07:00') };
    expect(await apply({ ...early, agencyCode: '000.00.21.H48' })).toMatchObject({ kind: 'parked' });
    // ...and the post then collects a dossier under that S10 for agency AGENCY.
    const created = await apply(creation(itemId));
    const id = (created as { dossierId: string }).dossierId;
    const dossier = await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
    expect(dossier).toMatchObject({ status: 'collected', sequence: 1 });
    const events = await db.dataSource.getRepository(OutboxMessageEntity).findBy({ dossierId: id });
    expect(events.map((e) => e.topic).filter((t) => t.startsWith('dossier.'))).toEqual(['dossier.collected']);
    // The owner's own change under the same S10 still applies.
    expect(
      await apply({ ...early, agencyCode: AGENCY, occurredAt: '2025-09-20T10:00:00+07:00' }),
    ).toMatchObject({ kind: 'applied', status: 'cancelled' });
  });

  it('rolls every part of a change back with its transaction', async () => {
    const itemId = nextS10();
    await expect(
      inTransaction(db.dataSource, async (manager) => {
        await new DossierLedger(manager).apply(creation(itemId));
        throw new Error('the caller failed after the change');
      }),
    ).rejects.toThrow('the caller failed');
    expect(await db.dataSource.getRepository(DossierEntity).countBy({ inboundItemId: itemId })).toBe(0);
    const orphans = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM dossier_timeline t WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = t.dossier_id)`,
    );
    expect(orphans[0].n).toBe(0);
  });

  it('in a deferred batch, applies an event parked earlier in the same batch once its dossier is created', async () => {
    const itemId = nextS10();
    const outcomes = await inTransaction(db.dataSource, async (manager) => {
      const ledger = new DossierLedger(manager, { deferred: true });
      const early = await ledger.apply(
        agencyEvent('agency.submission.accepted', itemId, '2025-09-20T09:00:00+07:00'),
      );
      const created = await ledger.apply(creation(itemId));
      await ledger.flush();
      return { early, created };
    });
    expect(outcomes.early).toMatchObject({ kind: 'parked' });
    const id = (outcomes.created as { dossierId: string }).dossierId;
    const dossier = await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
    expect(dossier).toMatchObject({ status: 'submitted', sequence: 2 });
    expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: itemId })).toBe(0);
  });

  it('keeps an event parked in one write and releases it in a later write of the same ledger', async () => {
    const itemId = nextS10();
    const created = await apply(creation(itemId));
    const id = (created as { dossierId: string }).dossierId;
    await inTransaction(db.dataSource, async (manager) => {
      const ledger = new DossierLedger(manager);
      // received needs submitted: parked, and written as parked at once (an immediate ledger)
      expect(
        await ledger.apply(agencyEvent('agency.dossier.received', id, '2025-09-20T10:00:00+07:00')),
      ).toMatchObject({
        kind: 'parked',
      });
      expect(
        await ledger.apply(agencyEvent('agency.submission.accepted', id, '2025-09-20T09:00:00+07:00')),
      ).toMatchObject({ kind: 'applied', status: 'submitted' });
    });
    const dossier = await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
    expect(dossier).toMatchObject({ status: 'received', sequence: 3 });
    expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: id })).toBe(0);
  });

  it('writes a batch of many dossiers together, each with its events in its own order', async () => {
    const itemIds = Array.from({ length: 20 }, () => nextS10());
    const ids = await inTransaction(db.dataSource, async (manager) => {
      const ledger = new DossierLedger(manager, { deferred: true });
      await ledger.lockMany(itemIds);
      const created: string[] = [];
      for (const itemId of itemIds) {
        const outcome = await ledger.apply(creation(itemId));
        created.push((outcome as { dossierId: string }).dossierId);
      }
      for (const id of created)
        await ledger.apply(agencyEvent('agency.submission.accepted', id, '2025-09-20T09:00:00+07:00'));
      await ledger.flush();
      return created;
    });
    const rows = await db.dataSource.query(
      `SELECT status, sequence FROM dossiers WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows).toHaveLength(20);
    expect(
      rows.every((r: { status: string; sequence: number }) => r.status === 'submitted' && r.sequence === 2),
    ).toBe(true);
    const outbox = await db.dataSource
      .getRepository(OutboxMessageEntity)
      .find({ where: { dossierId: ids[7] }, order: { id: 'ASC' } });
    expect(outbox.map((o) => o.topic)).toEqual(['dossier.collected', 'submit-dossier', 'dossier.submitted']);
  });
});
