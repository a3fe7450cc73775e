import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  AdapterSpec,
  AgencyStatusChange,
  MemoryAdapterStore,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { CloudEvent, PostalEventType } from '@bridge/domain';
import { CsvAgencySimulator, exampleAgency } from '@bridge/simulator';
import { DeadLetterEntity, DossierEntity, InboxEntryEntity, TimelineEntryEntity } from '@bridge/persistence';
import { collectedEvent, createTestDatabase, TestDatabase } from '@bridge/testing';
import { postalEventInput } from '../ingress/postal-event-input';
import { DossierLedger } from '../lifecycle/dossier-ledger';
import { inTransaction } from '../common/transaction';
import { AgencyChangesService } from './agency-changes.service';
import { AgencyPoller } from './agency-poller';
import { DeadLetterService } from './dead-letter.service';

const AGENCY = '000.00.21.H48';
const OTHER = '000.00.22.H48';

describe('agency status changes applied in batches (PostgreSQL)', () => {
  let db: TestDatabase;
  let service: AgencyChangesService;

  beforeAll(async () => {
    db = await createTestDatabase('agency_changes');
    service = new AgencyChangesService(db.dataSource, new DeadLetterService(db.dataSource));
  });
  afterAll(() => db.drop());

  /** Dossiers the agency has received under the given codes, as the bridge would hold them. */
  async function receivedDossiers(agencyCode: string, codes: string[]): Promise<string[]> {
    return inTransaction(db.dataSource, async (manager) => {
      const ledger = new DossierLedger(manager, { deferred: true });
      const ids: string[] = [];
      for (const code of codes) {
        const event = collectedEvent(agencyCode) as CloudEvent<unknown, PostalEventType>;
        const created = await ledger.apply(postalEventInput(event, randomUUID()));
        const ref = (created as { dossierId: string }).dossierId;
        const base = { origin: 'agency' as const, correlationId: randomUUID(), ref };
        await ledger.apply({
          ...base,
          event: 'agency.submission.accepted',
          occurredAt: '2025-09-22T08:00:00Z',
        });
        await ledger.apply({
          ...base,
          event: 'agency.dossier.received',
          occurredAt: '2025-09-22T09:00:00Z',
          patch: { agencyDossierCode: code },
        });
        ids.push(ref);
      }
      await ledger.flush();
      return ids;
    });
  }

  const change = (
    code: string,
    status: AgencyStatusChange['status'],
    changeId: string,
  ): AgencyStatusChange => ({
    agencyDossierCode: code,
    status,
    agencyStatusCode: status === 'processing' ? 'XL' : 'KQ',
    at: '2025-09-23T10:00:00+07:00',
    changeId,
  });

  const dossier = (id: string) => db.dataSource.getRepository(DossierEntity).findOneByOrFail({ id });

  it('applies a batch in order, once, to the agency’s own dossiers, and records each outcome', async () => {
    const [foreign] = await receivedDossiers(OTHER, ['H48-B']); // the same code at another agency, older
    const [a, b] = await receivedDossiers(AGENCY, ['H48-A', 'H48-B']);
    const batch = [
      change('H48-A', 'processing', 'f:2'),
      change('H48-A', 'result_ready', 'f:3'),
      change('H48-B', 'processing', 'f:4'),
      change('H48-A', 'processing', 'f:2'), // the same change again in the same batch
      change('H48-Z', 'processing', 'f:6'), // a dossier the bridge does not know (yet)
    ];
    const outcomes = await service.apply(AGENCY, batch, {
      via: 'poll',
      rejected: [{ source: 'f.csv', line: 5, reason: 'status code "DUYET" is unknown', raw: 'H48-C;;DUYET' }],
    });
    expect(outcomes.map((o) => o.outcome)).toEqual(['applied', 'applied', 'applied', 'duplicate', 'parked']);
    expect(await dossier(a)).toMatchObject({ status: 'result_ready', sequence: 5 });
    expect(await dossier(b)).toMatchObject({ status: 'processing', sequence: 4 });
    expect(await dossier(foreign)).toMatchObject({ status: 'received', sequence: 3 });
    const timeline = await db.dataSource
      .getRepository(TimelineEntryEntity)
      .find({ where: { dossierId: a }, order: { id: 'ASC' } });
    expect(timeline.slice(-2).map((t) => [t.kind, t.toStatus, t.eventId])).toEqual([
      ['status', 'processing', 'f:2'],
      ['status', 'result_ready', 'f:3'],
    ]);
    const inbox = await db.dataSource
      .getRepository(InboxEntryEntity)
      .find({ where: { source: `agency:${AGENCY}` }, order: { eventId: 'ASC' } });
    expect(inbox.map((row) => [row.eventId, row.outcome, row.dossierId])).toEqual([
      ['f:2', 'applied', a],
      ['f:3', 'applied', a],
      ['f:4', 'applied', b],
      ['f:6', 'parked', null],
    ]);
    expect(inbox[3].detail).toContain('before the dossier is known');
    const letters = await db.dataSource.getRepository(DeadLetterEntity).findBy({ agencyCode: AGENCY });
    expect(letters.map((l) => l.reason)).toEqual(['f.csv line 5: status code "DUYET" is unknown']);

    const again = await service.apply(AGENCY, batch, { via: 'poll' });
    expect(again.map((o) => o.outcome)).toEqual(Array(batch.length).fill('duplicate'));
    expect(await dossier(a)).toMatchObject({ status: 'result_ready', sequence: 5 });
  });

  describe('a status file larger than one page', () => {
    let agency: CsvAgencySimulator;
    let store: MemoryAdapterStore;
    let spec: AdapterSpec;
    const ROWS = 130;

    beforeEach(async () => {
      agency = await CsvAgencySimulator.start({ pollMs: 60_000 });
      store = new MemoryAdapterStore();
      const doc = exampleAgency('csv-drop') as { adapter: AdapterSpec };
      spec = {
        ...doc.adapter,
        options: {
          ...doc.adapter.options,
          inboxDir: agency.inboxDir,
          outboxDir: agency.outboxDir,
          archiveDir: path.join(agency.rootDir, 'luu-tru'),
          failedDir: path.join(agency.rootDir, 'loi'),
          rejectDir: path.join(agency.rootDir, 'dong-loi'),
          filePattern: '*.csv',
          maxRowsPerPoll: 50,
        },
      };
    });
    afterEach(() => agency.close());

    const adapter = () =>
      ADAPTER_FACTORIES['csv-drop'].create({ code: AGENCY, name: 'UBND phường Sơn Trà' }, spec, {
        logger: silentAdapterLogger,
        store,
      });

    /** Received dossiers under codes `<prefix>-<i>` and a file moving each to processing. */
    async function dossiersAndFile(prefix: string): Promise<string[]> {
      const codes = Array.from({ length: ROWS }, (_, i) => `${prefix}-${i}`);
      const ids = await receivedDossiers(AGENCY, codes);
      await agency.writeStatusFile(`TRANGTHAI_${prefix}.csv`, [
        ...codes.map((code) => ({
          MaHoSo: code,
          MaHoSoLienThong: '',
          TrangThai: 'XL',
          NgayCapNhat: '23/09/2025 10:00',
        })),
        { MaHoSo: `${prefix}-x`, MaHoSoLienThong: '', TrangThai: 'DUYET', NgayCapNhat: '23/09/2025 10:00' },
      ]);
      return ids;
    }

    async function processingLines(ids: string[]): Promise<number[]> {
      const rows = await db.dataSource.query<Array<{ n: number }>>(
        `SELECT count(t.id)::int AS n FROM unnest($1::uuid[]) AS d(id)
           LEFT JOIN dossier_timeline t ON t.dossier_id = d.id AND t.to_status = 'processing'
          GROUP BY d.id`,
        [ids],
      );
      return rows.map((r) => r.n);
    }

    it('is applied page after page by one poll, every row once, and archived after the last', async () => {
      const ids = await dossiersAndFile('P');
      const polled = adapter();
      const poller = new AgencyPoller(
        db.dataSource,
        { adapterFor: () => polled, specOf: () => spec },
        service,
        store,
        (_code, error) => {
          throw error;
        },
      );
      expect(await poller.pollOnce(AGENCY)).toBe(ROWS);
      // One correlation id per page: three pages, not one, and no row in two of them.
      const pages = await db.dataSource.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM outbox
          WHERE kind = 'event' AND dossier_id = ANY($1::uuid[])
            AND payload->'data'->'cause'->>'event' = 'agency.dossier.processing'
          GROUP BY payload->>'correlationid' ORDER BY n DESC`,
        [ids],
      );
      expect(pages.map((p) => p.n)).toEqual([50, 50, 30]);
      expect(await processingLines(ids)).toEqual(Array(ROWS).fill(1));
      expect(await fs.readdir(agency.outboxDir)).toEqual([]);
      expect(await fs.readdir(path.join(agency.rootDir, 'luu-tru'))).toEqual(['TRANGTHAI_P.csv']);
      expect(await fs.readdir(path.join(agency.rootDir, 'dong-loi'))).toEqual([
        'TRANGTHAI_P.csv.rejects.csv',
      ]);
      await poller.stop();
      await polled.close();
    });

    it('after a crash between pages, applies only the page that was not committed, and that once', async () => {
      const ids = await dossiersAndFile('Q');
      let current = adapter();
      const first = await current.poll(undefined, { correlationId: 'c', record: () => undefined });
      await service.apply(AGENCY, first.changes, { via: 'poll' });
      await first.commit!();
      const second = await current.poll(undefined, { correlationId: 'c', record: () => undefined });
      expect((await service.apply(AGENCY, second.changes, { via: 'poll' })).map((o) => o.outcome)).toEqual(
        Array(50).fill('applied'),
      );
      // The process dies after the page was applied and before it was committed.
      await current.close();
      current = adapter();
      const again = await current.poll(undefined, { correlationId: 'c', record: () => undefined });
      expect(again.changes.map((c) => c.changeId)).toEqual(second.changes.map((c) => c.changeId));
      expect((await service.apply(AGENCY, again.changes, { via: 'poll' })).map((o) => o.outcome)).toEqual(
        Array(50).fill('duplicate'),
      );
      await again.commit!();
      const last = await current.poll(undefined, { correlationId: 'c', record: () => undefined });
      expect(last.more).toBe(false);
      expect(last.changes.map((c) => c.agencyDossierCode)).toEqual(
        Array.from({ length: ROWS - 100 }, (_, i) => `Q-${100 + i}`),
      );
      await service.apply(AGENCY, last.changes, { via: 'poll' });
      await last.commit!();
      expect(await processingLines(ids)).toEqual(Array(ROWS).fill(1));
      await current.close();
    });
  });
});
