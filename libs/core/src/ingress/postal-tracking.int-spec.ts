import { AgencyEntity, DossierEntity, TimelineEntryEntity } from '@bridge/persistence';
import { collectedEvent, createTestDatabase, nextS10, TestDatabase } from '@bridge/testing';
import { PostalIngressService } from './postal-ingress.service';
import { PostalTrackingService } from './postal-tracking.service';

const AGENCY = '000.00.53.H48';

describe('raw postal tracking events (PostgreSQL)', () => {
  let db: TestDatabase;
  let ingress: PostalIngressService;
  let tracking: PostalTrackingService;

  beforeAll(async () => {
    db = await createTestDatabase('tracking');
    await db.dataSource.getRepository(AgencyEntity).insert({
      code: AGENCY,
      name: 'UBND phường Hải Châu',
      level: 'commune',
      procedures: [{ code: '1.001612', name: 'Đăng ký khai sinh', byPost: true }],
      specVersion: 1,
    });
    ingress = new PostalIngressService(db.dataSource);
    tracking = new PostalTrackingService(db.dataSource, ingress);
  });
  afterAll(() => db.drop());

  async function collected(): Promise<{ id: string; itemId: string }> {
    const event = collectedEvent(AGENCY);
    const outcome = await ingress.accept(event);
    return {
      id: (outcome as { result: { dossierId: string } }).result.dossierId,
      itemId: (event.data as { itemId: string }).itemId,
    };
  }

  it('maps EMI on the inbound shipment to the hand-over, found by the item id alone', async () => {
    const { id, itemId } = await collected();
    const outcome = await tracking.accept({
      itemId,
      eventCode: 'EMI',
      office: 'Bộ phận một cửa Hải Châu',
      time: new Date().toISOString(),
    });
    expect(outcome).toMatchObject({
      kind: 'mapped',
      type: 'postal.dossier.handed_over',
      outcome: { kind: 'accepted', result: { kind: 'noted' } },
    });
    const notes = await db.dataSource
      .getRepository(TimelineEntryEntity)
      .findBy({ dossierId: id, kind: 'note' });
    expect(notes.map((n) => n.event)).toEqual(['postal.dossier.handed_over']);
  });

  it('maps the result shipment: EMA collects the result (naming the dossier), EMH fails, EMI delivers', async () => {
    const { id } = await collected();
    const snapshot = (await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id })).snapshot;
    await db.dataSource
      .getRepository(DossierEntity)
      .update({ id }, { status: 'result_ready', snapshot: { ...snapshot, status: 'result_ready' } });
    const resultItem = nextS10('RR');
    const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

    expect(
      await tracking.accept({ itemId: resultItem, eventCode: 'EMA', time: at(1), dossierRef: id }),
    ).toMatchObject({
      kind: 'mapped',
      type: 'postal.result.collected',
    });
    expect(
      await tracking.accept({ itemId: resultItem, eventCode: 'EMH', time: at(2), reason: 'Vắng nhà' }),
    ).toMatchObject({
      type: 'postal.result.delivery_failed',
    });
    expect(await tracking.accept({ itemId: resultItem, eventCode: 'EMI', time: at(3) })).toMatchObject({
      type: 'postal.result.delivered',
    });
    const dossier = await db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });
    expect(dossier.status).toBe('delivered');
    expect(dossier.resultItemId).toBe(resultItem);
  });

  it('ignores in-transit codes, and reports codes it cannot map instead of dropping them', async () => {
    const { itemId } = await collected();
    expect(await tracking.accept({ itemId, eventCode: 'EMG', time: new Date().toISOString() })).toMatchObject(
      { kind: 'ignored' },
    );
    expect(await tracking.accept({ itemId, eventCode: 'XYZ', time: new Date().toISOString() })).toMatchObject(
      {
        kind: 'unmapped',
        reason: expect.stringMatching(/XYZ/),
      },
    );
    expect(
      await tracking.accept({ itemId: nextS10(), eventCode: 'EMI', time: new Date().toISOString() }),
    ).toMatchObject({
      kind: 'unmapped',
      reason: expect.stringMatching(/leg/),
    });
  });

  it('refuses a malformed raw event naming the field', async () => {
    const badItem = await tracking.accept({
      itemId: 'EB123456789VN',
      eventCode: 'EMI',
      time: new Date().toISOString(),
    });
    expect(badItem).toMatchObject({
      kind: 'invalid',
      errors: [{ path: '/itemId', message: expect.stringMatching(/should be 5/) }],
    });
    const badTime = await tracking.accept({ itemId: nextS10(), eventCode: 'EMI', time: 'yesterday' });
    expect(badTime).toMatchObject({ kind: 'invalid', errors: [{ path: '/time' }] });
  });
});
