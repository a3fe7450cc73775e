import { DataSource } from 'typeorm';
import {
  AgencyEntity,
  DossierEntity,
  InboxEntryEntity,
  OutboxMessageEntity,
  ParkedEventEntity,
  TimelineEntryEntity,
} from '@bridge/persistence';
import { collectedEvent, createTestDatabase, nextS10, postalEvent, TestDatabase } from '@bridge/testing';
import { PostalIngressService } from './postal-ingress.service';

const AGENCY = '000.00.53.H48';

async function registerAgency(ds: DataSource): Promise<void> {
  await ds.getRepository(AgencyEntity).insert({
    code: AGENCY,
    name: 'Sở Tư pháp thành phố Đà Nẵng',
    level: 'department',
    procedures: [
      { code: '1.001612', name: 'Đăng ký khai sinh', byPost: true },
      { code: '1.000894', name: 'Đăng ký kết hôn', byPost: false },
    ],
    specVersion: 1,
  });
}

describe('postal ingress (PostgreSQL)', () => {
  let db: TestDatabase;
  let ingress: PostalIngressService;

  beforeAll(async () => {
    db = await createTestDatabase('ingress');
    await registerAgency(db.dataSource);
    ingress = new PostalIngressService(db.dataSource);
  });
  afterAll(() => db.drop());

  it('creates the dossier, its timeline, its normalized event and its submission job in one go', async () => {
    const event = collectedEvent(AGENCY);
    const outcome = await ingress.accept(event);
    expect(outcome).toMatchObject({
      kind: 'accepted',
      result: { kind: 'applied', status: 'collected', sequence: 1 },
    });
    const dossierId = (outcome as { result: { dossierId: string } }).result.dossierId;

    const dossier = await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id: dossierId });
    expect(dossier.inboundItemId).toBe((event.data as { itemId: string }).itemId);
    expect(dossier.snapshot.applicant).toMatchObject({ fullName: 'Nguyễn Thị Thủy' });

    const outbox = await db.dataSource.getRepository(OutboxMessageEntity).findBy({ dossierId });
    expect(outbox.map((o) => [o.kind, o.topic])).toEqual([
      ['event', 'dossier.collected'],
      ['job', 'submit-dossier'],
    ]);
    expect(outbox[0].payload).toMatchObject({
      specversion: '1.0',
      type: 'dossier.collected',
      subject: dossierId,
      data: { sequence: 1, previousStatus: null },
    });
    const timeline = await db.dataSource.getRepository(TimelineEntryEntity).findBy({ dossierId });
    expect(timeline).toHaveLength(1);
  });

  it('acknowledges a duplicate and applies it once; the same id with other content is a conflict', async () => {
    const event = collectedEvent(AGENCY);
    await ingress.accept(event);
    expect(await ingress.accept(event)).toMatchObject({ kind: 'duplicate' });
    const tampered = { ...event, data: { ...(event.data as object), procedureCode: '2.000001' } };
    expect(await ingress.accept(tampered)).toMatchObject({ kind: 'conflict' });
    const count = await db.dataSource
      .getRepository(DossierEntity)
      .countBy({ inboundItemId: (event.data as { itemId: string }).itemId });
    expect(count).toBe(1);
  });

  it('refuses an invalid event naming the field, and stores nothing', async () => {
    const event = collectedEvent(AGENCY, { itemId: 'EB123456789VN' });
    const before = await db.dataSource.getRepository(InboxEntryEntity).count();
    const outcome = await ingress.accept(event);
    expect(outcome.kind).toBe('invalid');
    expect(JSON.stringify(outcome)).toMatch(/\/data\/itemId/);
    expect(await db.dataSource.getRepository(InboxEntryEntity).count()).toBe(before);
  });

  it('refuses a dossier for a procedure that may not go by post, with the reason', async () => {
    const outcome = await ingress.accept(collectedEvent(AGENCY, { procedureCode: '1.000894' }));
    expect(outcome).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/may not be handled by post/),
    });
  });

  it('parks an event that arrives before its dossier and applies it when the dossier arrives', async () => {
    const itemId = nextS10();
    const early = await ingress.accept(
      postalEvent('postal.dossier.handed_over', itemId, { handoverRecord: 'BB-0042' }),
    );
    expect(early).toMatchObject({ kind: 'accepted', result: { kind: 'parked' } });
    expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: itemId })).toBe(1);

    const created = await ingress.accept(collectedEvent(AGENCY, { itemId }));
    const dossierId = (created as { result: { dossierId: string } }).result.dossierId;
    expect(await db.dataSource.getRepository(ParkedEventEntity).countBy({ dossierRef: itemId })).toBe(0);
    const timeline = await db.dataSource
      .getRepository(TimelineEntryEntity)
      .find({ where: { dossierId }, order: { id: 'ASC' } });
    expect(timeline.map((t) => [t.kind, t.event])).toEqual([
      ['status', 'postal.dossier.collected'],
      ['note', 'postal.dossier.handed_over'],
    ]);
  });

  it('records an impossible event on the timeline with the reason instead of dropping it', async () => {
    const itemId = nextS10();
    const created = await ingress.accept(collectedEvent(AGENCY, { itemId }));
    const dossierId = (created as { result: { dossierId: string } }).result.dossierId;
    await db.dataSource.getRepository(DossierEntity).update({ id: dossierId }, { status: 'completed' });
    const outcome = await ingress.accept(postalEvent('postal.result.delivered', itemId));
    expect(outcome).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/already completed/) });
    const refused = await db.dataSource
      .getRepository(TimelineEntryEntity)
      .findOneByOrFail({ dossierId, kind: 'refused' });
    expect(refused.detail).toMatch(/already completed/);
  });

  it('applies a batch atomically: one invalid event refuses the whole batch', async () => {
    const good = collectedEvent(AGENCY);
    const bad = { ...collectedEvent(AGENCY), type: 'postal.unknown' };
    const outcomes = await ingress.acceptBatch([good, bad]);
    expect(outcomes.map((o) => o.kind)).toEqual(['invalid', 'invalid']);
    expect(await db.dataSource.getRepository(InboxEntryEntity).countBy({ eventId: good.id })).toBe(0);
  });

  it('refuses text the database cannot hold (U+0000), naming the field, instead of failing on every delivery', async () => {
    const event = collectedEvent(AGENCY);
    (event.data as { applicant: { fullName: string } }).applicant.fullName = 'Nguyễn\u0000 Văn An';
    const outcome = await ingress.accept(event);
    expect(outcome).toMatchObject({
      kind: 'invalid',
      errors: [{ path: '/data/applicant/fullName', message: expect.stringMatching(/NUL/) }],
    });
    expect(await db.dataSource.getRepository(InboxEntryEntity).countBy({ eventId: event.id })).toBe(0);
  });

  it('applies events accepted together in shared transactions; one that fails in the database holds back no other', async () => {
    // A fault injected in PostgreSQL itself: the inbox refuses one event id.
    await db.dataSource.query(`
      CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event_id LIKE 'poison-%' THEN RAISE EXCEPTION 'injected failure for %', NEW.event_id; END IF;
        RETURN NEW;
      END $$`);
    await db.dataSource.query(
      `CREATE TRIGGER tr_refuse_poison BEFORE INSERT ON inbox FOR EACH ROW EXECUTE FUNCTION refuse_poison()`,
    );
    try {
      const events = Array.from({ length: 12 }, () => collectedEvent(AGENCY));
      const poison = { ...collectedEvent(AGENCY), id: `poison-${Date.now()}` };
      const invalid = collectedEvent(AGENCY, { itemId: 'EB123456789VN' });
      const all = [...events.slice(0, 6), poison, invalid, ...events.slice(6)];
      const settled = await Promise.allSettled(all.map((e) => ingress.accept(e)));

      expect(settled[6].status).toBe('rejected');
      expect(String((settled[6] as PromiseRejectedResult).reason)).toMatch(/injected failure/);
      expect(settled[7]).toMatchObject({ status: 'fulfilled', value: { kind: 'invalid' } });
      const applied = settled.filter(
        (s) => s.status === 'fulfilled' && (s.value as { kind: string }).kind === 'accepted',
      );
      expect(applied).toHaveLength(12);
      const itemIds = events.map((e) => (e.data as { itemId: string }).itemId);
      const stored = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM dossiers WHERE inbound_item_id = ANY($1::text[])`,
        [itemIds],
      );
      expect(stored[0].n).toBe(12);
      expect(await db.dataSource.getRepository(InboxEntryEntity).countBy({ eventId: poison.id })).toBe(0);
    } finally {
      await db.dataSource.query(`DROP TRIGGER tr_refuse_poison ON inbox`);
      await db.dataSource.query(`DROP FUNCTION refuse_poison()`);
    }
  });
});
