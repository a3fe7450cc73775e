import { tmpdir } from 'node:os';
import { AdapterSpec, AgencyAdapter, MemoryAdapterStore, silentAdapterLogger } from '@bridge/adapter-sdk';
import { DeadLetterEntity, DossierEntity } from '@bridge/persistence';
import { CsvAgencySimulator } from '@bridge/simulator';
import {
  collectedEvent,
  createTestDatabase,
  exampleAgency,
  receivedAtAgency,
  registerAgencies,
  TestDatabase,
  withOverrides,
} from '@bridge/testing';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { validateAgencyDocuments } from '../agencies/agency-validator';
import { AgencyChangesService } from '../delivery/agency-changes.service';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { PostalIngressService } from '../ingress/postal-ingress.service';
import { PostalTrackingService } from '../ingress/postal-tracking.service';
import { DeadLetterActionsService } from './dead-letter-actions.service';

const CODE = '000.00.83.H48';

/**
 * A CSV status row with a code the agency's status table did not know is dead-lettered; once
 * the table is fixed, replaying it applies the change (and before, refuses, changing nothing).
 */
describe('replaying an agency record onto the current agency file', () => {
  let db: TestDatabase;
  let csv: CsvAgencySimulator;
  let spec: AdapterSpec;
  const adapters: AgencyAdapter[] = [];
  const create = (s: AdapterSpec) => {
    const adapter = ADAPTER_FACTORIES['csv-drop'].create({ code: CODE, name: 'CSV' }, s, {
      logger: silentAdapterLogger,
      store: new MemoryAdapterStore(),
    });
    adapters.push(adapter);
    return adapter;
  };

  beforeAll(async () => {
    db = await createTestDatabase('replay-record');
    csv = await CsvAgencySimulator.start({ agencyCode: CODE, pollMs: 60_000 });
    const base = exampleAgency('csv-drop');
    const doc = withOverrides(base, {
      code: CODE,
      parent: undefined,
      adapter: {
        endpoint: `file://${csv.inboxDir}`,
        timeoutMs: 5000,
        options: {
          inboxDir: csv.inboxDir,
          outboxDir: csv.outboxDir,
          archiveDir: `${csv.outboxDir}/../luu-tru`,
          failedDir: `${csv.outboxDir}/../loi`,
          rejectDir: `${csv.outboxDir}/../dong-loi`,
        },
      },
    });
    await registerAgencies(db.dataSource, [doc]);
    const checked = validateAgencyDocuments([{ file: 'csv.yaml', data: doc, problems: [] }], {
      factories: ADAPTER_FACTORIES,
      knownCodes: new Set(),
      env: {},
      access: { settings: { envAllow: new Set(), apiMayReadEnv: false, filesRoot: tmpdir() }, viaApi: false },
    });
    spec = checked.agencies[0].spec!;
  });
  afterAll(async () => {
    for (const adapter of adapters) await adapter.close();
    await csv?.close();
    await db?.drop();
  });

  it('refuses while the code is unknown, then applies it once the table knows it', async () => {
    const ds = db.dataSource;
    const deadLetters = new DeadLetterService(ds);
    const changes = new AgencyChangesService(ds, deadLetters);
    const outcome = await new PostalIngressService(ds).accept(collectedEvent(CODE));
    const dossierId = (outcome as { result: { dossierId: string } }).result.dossierId;
    await receivedAtAgency(ds, changes, CODE, dossierId, 'HS-0001');

    // The agency starts writing a code its file does not list yet.
    await csv.writeStatusFile('TRANGTHAI_20251001_0001.csv', [
      { MaHoSo: 'HS-0001', MaHoSoLienThong: dossierId, TrangThai: 'DXL', NgayCapNhat: '01/10/2025 09:30' },
    ]);
    const page = await create(spec).poll(undefined, { correlationId: 'poll', record: () => undefined });
    expect(page.rejected).toHaveLength(1);
    await changes.apply(CODE, page.changes, { rejected: page.rejected, via: 'poll' });
    await page.commit?.();
    const letter = await ds.getRepository(DeadLetterEntity).findOneByOrFail({ origin: 'agency-record' });

    const actions = (adapter: AgencyAdapter) =>
      new DeadLetterActionsService(
        ds,
        deadLetters,
        undefined as unknown as PostalIngressService,
        undefined as unknown as PostalTrackingService,
        { adapterFor: () => adapter },
        changes,
      );
    const before = await actions(create(spec)).replay(letter.id, 'operator');
    expect(before).toMatchObject({ kind: 'refused', reason: expect.stringContaining('"DXL"') });
    expect(await ds.getRepository(DeadLetterEntity).findOneByOrFail({ id: letter.id })).toMatchObject({
      state: 'open',
    });
    expect(await ds.getRepository(DossierEntity).findOneByOrFail({ id: dossierId })).toMatchObject({
      status: 'received',
    });

    const fixed = { ...spec, statusCodes: { ...spec.statusCodes, DXL: 'processing' as const } };
    expect(await actions(create(fixed)).replay(letter.id, 'operator')).toEqual({ kind: 'done' });
    expect(await ds.getRepository(DossierEntity).findOneByOrFail({ id: dossierId })).toMatchObject({
      status: 'processing',
    });
    expect(await ds.getRepository(DeadLetterEntity).findOneByOrFail({ id: letter.id })).toMatchObject({
      state: 'replayed',
    });
  });
});
