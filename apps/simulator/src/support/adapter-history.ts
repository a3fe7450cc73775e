import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import {
  AdapterDependencies,
  AdapterFactory,
  AdapterSpec,
  AgencyAdapter,
  CallContext,
  ExchangedMessage,
  MemoryAdapterStore,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { Dossier, DossierStatus } from '@bridge/domain';
import { ADAPTER_FACTORIES, MessageLogInput, MessageLogService } from '@bridge/core';
import { CsvAgencySimulator } from '../agencies/csv-agency';
import { IgateLegacyAgencySimulator } from '../agencies/igate-legacy-agency';
import { vendorAStatusOf } from '../agencies/soap-agency-dialect';
import { SoapAgencySimulator } from '../agencies/soap-agency';
import { projectRoot } from './project-root';

/** A dossier row as the bridge stores it once the agency has it. */
export interface StoredDossierRow {
  dossier: Dossier;
  agencyDossierCode: string;
  resultItemId?: string;
}

/** Inserts the dossiers of a seeded history (status `processing`, as after filing). */
export async function insertDossiers(
  dataSource: DataSource,
  agencyCode: string,
  rows: readonly StoredDossierRow[],
): Promise<void> {
  const values = rows.map((r) => [
    r.dossier.id,
    r.dossier.inboundItemId,
    r.dossier.procedureCode,
    r.agencyDossierCode,
    r.resultItemId ?? null,
    JSON.stringify(r.dossier),
  ]);
  await dataSource.query(
    `INSERT INTO dossiers (id, inbound_item_id, agency_code, procedure_code, agency_dossier_code, result_item_id, service_option, status, sequence, snapshot)
     SELECT (r->>0)::uuid, r->>1, $2, r->>2, r->>3, r->>4, 'both', 'processing', 3, (r->>5)::jsonb
       FROM jsonb_array_elements($1::jsonb) AS r`,
    [JSON.stringify(values), agencyCode],
  );
}

/**
 * What an adapter recorded during one call, as the delivery processor logs it: under the
 * agency, and under the dossier when the call was about one.
 */
class HistoryRecorder {
  readonly entries: MessageLogInput[] = [];

  constructor(private readonly agencyCode: string) {}

  context(dossierId?: string): CallContext {
    const correlationId = randomUUID();
    return {
      correlationId,
      record: (m: ExchangedMessage) =>
        this.entries.push({
          channel: 'agency',
          agencyCode: this.agencyCode,
          correlationId,
          dossierId,
          direction: m.direction,
          operation: m.operation,
          status: m.status === undefined ? undefined : String(m.status),
          body: m.body,
        }),
    };
  }

  /** Through the message log service: masked exactly as in production. */
  async store(dataSource: DataSource): Promise<number> {
    await new MessageLogService(dataSource).append(this.entries);
    return this.entries.length;
  }
}

/** Polls until the agency has nothing more, committing each page as the bridge does. */
async function pollAll(adapter: AgencyAdapter, recorder: HistoryRecorder): Promise<number> {
  let cursor: string | undefined;
  let changes = 0;
  for (let round = 0; round < 10_000; round++) {
    const page = await adapter.poll(cursor, recorder.context());
    await page.commit?.();
    changes += page.changes.length;
    if (page.changes.length === 0 && !page.more) return changes;
    cursor = page.cursor;
  }
  throw new Error('the agency kept answering with changes after 10,000 polls');
}

/** What a history seeded through a real adapter holds, so tests know each dossier's story. */
export interface AdapterHistory {
  dossierIds: string[];
  /** Dossier → the status the agency moved it to after filing. */
  drivenTo: Map<string, DossierStatus>;
  /** Dossiers the bridge reported as delivered. */
  delivered: string[];
  messages: number;
}

/** The statuses the agency moves the seeded dossiers to, in turn. */
const DRIVEN: DossierStatus[] = ['processing', 'supplement_requested', 'result_ready', 'rejected'];

const DELIVERED_AT = '2025-10-05T10:00:00+07:00';

/** How one kind's history is made: its adapter, its dossiers, its simulator's officer. */
interface HistoryPlan {
  factory: AdapterFactory;
  dossier(): Dossier;
  /** The agency moves the dossier on. */
  drive(agencyDossierCode: string, status: DossierStatus, i: number): Promise<void>;
  /** A push the agency sends about it, when it pushes. */
  push?(agencyDossierCode: string, bridgeId: string, status: DossierStatus, i: number): string | undefined;
}

/**
 * Runs the real adapter against a simulator as the bridge would: per dossier the filing,
 * every third a look-up, the agency moving it on (see {@link DRIVEN}), the agency's push when
 * it pushes, and every fourth from the third on the delivery notice; then polls until the
 * agency has nothing more. Dossier rows as the bridge stores them; messages through the
 * message log service, so masked exactly as in production.
 */
async function seedThroughAdapter(
  dataSource: DataSource,
  agency: { code: string; name: string },
  spec: AdapterSpec,
  dossiers: number,
  plan: HistoryPlan,
): Promise<AdapterHistory> {
  const deps: AdapterDependencies = { logger: silentAdapterLogger, store: new MemoryAdapterStore() };
  const adapter = plan.factory.create(agency, spec, deps);
  const recorder = new HistoryRecorder(agency.code);
  const seeded: AdapterHistory = { dossierIds: [], drivenTo: new Map(), delivered: [], messages: 0 };
  const rows: StoredDossierRow[] = [];
  try {
    for (let i = 0; i < dossiers; i++) {
      const dossier = plan.dossier();
      const id = dossier.id;
      const receipt = await adapter.submit({ dossier, idempotencyKey: id }, recorder.context(id));
      const code = receipt.agencyDossierCode;
      if (i % 3 === 0) await adapter.lookup(id, recorder.context(id));
      const status = DRIVEN[i % DRIVEN.length];
      await plan.drive(code, status, i);
      const push = plan.push?.(code, id, status, i);
      if (push) recorder.context().record({ direction: 'inbound', operation: 'callback', body: push });
      const row: StoredDossierRow = { dossier, agencyDossierCode: code };
      if (status === 'result_ready' && i % 4 === 2) {
        row.resultItemId = `RR${String(400000000 + ++itemsSeeded)}VN`;
        row.dossier = { ...dossier, timestamps: { ...dossier.timestamps, delivered: DELIVERED_AT } };
        const notice = { idempotencyKey: id, agencyDossierCode: code, resultItemId: row.resultItemId };
        await adapter.notifyDelivered({ ...notice, deliveredAt: DELIVERED_AT }, recorder.context(id));
        seeded.delivered.push(id);
      }
      rows.push(row);
      seeded.dossierIds.push(id);
      seeded.drivenTo.set(id, status);
    }
    await pollAll(adapter, recorder);
  } finally {
    await adapter.close();
  }
  await insertDossiers(dataSource, agency.code, rows);
  seeded.messages = await recorder.store(dataSource);
  return seeded;
}

/** Postal item ids handed out so far: unique in the process, whatever agencies share a database. */
let itemsSeeded = 0;

function fixtureDossier(kind: string, file: string): Dossier {
  const raw = readFileSync(join(projectRoot(), 'adapters', kind, 'fixtures', file), 'utf8');
  const template = (JSON.parse(raw) as { dossier: Dossier }).dossier;
  return { ...template, id: randomUUID(), inboundItemId: `EC${String(200000000 + ++itemsSeeded)}VN` };
}

/** A push of vendor A's status change, as its software sends it. */
function vendorAPush(agencyDossierCode: string, bridgeId: string, code: string, i: number): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:lt="http://motcua.vendor-a.vn/lienthong/2019"><soap:Body><lt:CapNhatTrangThai>' +
    `<lt:MaHoSo>${agencyDossierCode}</lt:MaHoSo><lt:MaHoSoLienThong>${bridgeId}</lt:MaHoSoLienThong>` +
    `<lt:TrangThai>${code}</lt:TrangThai><lt:NgayCapNhat>20251003140000</lt:NgayCapNhat>` +
    `<lt:GhiChu>Ghi chú ${i}, liên hệ 0905123456</lt:GhiChu></lt:CapNhatTrangThai></soap:Body></soap:Envelope>`
  );
}

/**
 * The history of a SOAP agency, made by the SOAP adapter with vendor A's simulator (request
 * envelopes with their WS-Security header, answers, "changes since" pages); vendor A pushes
 * the change of every other dossier too.
 */
export function seedSoapHistory(
  dataSource: DataSource,
  agency: { code: string; name: string },
  spec: AdapterSpec,
  simulator: SoapAgencySimulator,
  dossiers: number,
): Promise<AdapterHistory> {
  return seedThroughAdapter(dataSource, agency, spec, dossiers, {
    factory: ADAPTER_FACTORIES.soap,
    dossier: () => fixtureDossier('soap', 'requests/nop-ho-so.submission.json'),
    drive: (code, status) => simulator.driveStatus(code, status),
    push: (code, id, status, i) =>
      i % 2 === 0 ? vendorAPush(code, id, vendorAStatusOf(status), i) : undefined,
  });
}

/**
 * The history of a CSV-drop agency, made by the csv-drop adapter with vendor C's simulator:
 * files dropped, receipts read from its TIEPNHAN files, a TRANGTHAI file per change, all
 * status files polled and archived.
 */
export function seedCsvHistory(
  dataSource: DataSource,
  agency: { code: string; name: string },
  spec: AdapterSpec,
  simulator: CsvAgencySimulator,
  dossiers: number,
): Promise<AdapterHistory> {
  return seedThroughAdapter(dataSource, agency, spec, dossiers, {
    factory: ADAPTER_FACTORIES['csv-drop'],
    dossier: () => fixtureDossier('csv-drop', 'submission.json'),
    drive: (code, status, i) => simulator.driveStatus(code, status, `Ghi chú ${i}`),
  });
}

/** The history of an iGate agency, made by the igate-legacy adapter with the iGate simulator. */
export function seedIgateHistory(
  dataSource: DataSource,
  agency: { code: string; name: string },
  spec: AdapterSpec,
  simulator: IgateLegacyAgencySimulator,
  dossiers: number,
): Promise<AdapterHistory> {
  return seedThroughAdapter(dataSource, agency, spec, dossiers, {
    factory: ADAPTER_FACTORIES['igate-legacy'],
    dossier: () => fixtureDossier('soap', 'requests/nop-ho-so.submission.json'),
    drive: (code, status, i) => simulator.driveStatus(code, status, `Ghi chu ${i}`),
  });
}
