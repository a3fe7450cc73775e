import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { AdapterSpec } from '@bridge/adapter-sdk';
import { RestDialect } from '@bridge/adapter-rest';
import { Dossier } from '@bridge/domain';
import { MessageLogInput, MessageLogService } from '@bridge/core';
import { projectRoot } from './project-root';

/** The REST adapter's fixtures (example agency file and submission). */
function restFixtures(): string {
  return join(projectRoot(), 'adapters', 'rest', 'fixtures');
}

/** The REST example agency as a file that validates anywhere: literal secrets, no parent. */
export function restAgencyFile(endpoint: string): string {
  return readFileSync(join(restFixtures(), 'agency.example.yaml'), 'utf8')
    .replace(/^parent: .*\n/m, '')
    .replace(/^(\s+endpoint:\s*).*$/m, `$1${endpoint}`)
    .replace(/^\s+sandboxEndpoint:.*\n/m, '')
    .replace('${secret:haichau-motcua-password}', 'mat-khau-thu-nghiem')
    .replace('${secret:haichau-callback-secret}', 'khoa-ky-callback-thu-nghiem-0123');
}

/** The code of the REST example agency. */
export const REST_AGENCY = '000.00.53.H48';

/** What a seeded history holds, so tests know which dossier had which status code. */
export interface SeededHistory {
  dossierIds: string[];
  /** Dossier → the status code its push carried. */
  pushedCode: Map<string, string>;
  messages: number;
}

const PUSH_CODES = ['DANG_XU_LY', 'CHO_BO_SUNG', 'DA_CO_KET_QUA', 'TU_CHOI'];

/**
 * Seeds the history of the REST example agency as the bridge would have logged it: for each
 * dossier its row, the submit request (mapped by `spec`), the receipt answer and one pushed
 * status change; every tenth dossier also appears in a polled page. Messages go through the
 * message log service, so they are masked exactly as in production.
 */
export async function seedRestHistory(
  dataSource: DataSource,
  spec: AdapterSpec,
  dossiers: number,
): Promise<SeededHistory> {
  const template = (
    JSON.parse(readFileSync(join(restFixtures(), 'submission.json'), 'utf8')) as { dossier: Dossier }
  ).dossier;
  const dialect = new RestDialect(spec);
  const log = new MessageLogService(dataSource);
  const seeded: SeededHistory = { dossierIds: [], pushedCode: new Map(), messages: 0 };
  const batch = 100;
  for (let start = 0; start < dossiers; start += batch) {
    const entries: MessageLogInput[] = [];
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(dossiers, start + batch); i++) {
      const id = randomUUID();
      const code = `${REST_AGENCY}-251001-${String(i).padStart(5, '0')}`;
      const dossier: Dossier = { ...template, id, inboundItemId: `EC${String(100000000 + i)}VN` };
      const pushed = PUSH_CODES[i % PUSH_CODES.length];
      seeded.dossierIds.push(id);
      seeded.pushedCode.set(id, pushed);
      rows.push([id, dossier.inboundItemId, code, JSON.stringify(dossier)]);
      const base = { channel: 'agency' as const, agencyCode: REST_AGENCY, correlationId: randomUUID() };
      const answer = {
        maHoSo: code,
        ngayHenTra: '10/10/2025',
        ngayTiepNhan: '01/10/2025 09:00:00',
        trangThai: 'MOI_TIEP_NHAN',
      };
      const change = {
        id: i + 1,
        maHoSo: code,
        maHoSoLienThong: id,
        trangThai: pushed,
        thoiGian: '03/10/2025 14:00:00',
        ngayHenTra: '10/10/2025',
        ghiChu: `Ghi chú ${i}, liên hệ 0905123456`,
      };
      const body = await dialect.submitBody({ dossier, idempotencyKey: id });
      entries.push(
        { ...base, direction: 'outbound', dossierId: id, operation: 'submit', body: JSON.stringify(body) },
        {
          ...base,
          direction: 'inbound',
          dossierId: id,
          operation: 'submit',
          status: '201',
          body: JSON.stringify(answer),
        },
        { ...base, direction: 'inbound', operation: 'callback', body: JSON.stringify(change) },
      );
      if (i % 10 === 0) {
        entries.push({
          ...base,
          direction: 'inbound',
          operation: 'poll',
          status: '200',
          body: JSON.stringify({ duLieu: [change], conTro: String(i) }),
        });
      }
    }
    await dataSource.query(
      `INSERT INTO dossiers (id, inbound_item_id, agency_code, procedure_code, agency_dossier_code, service_option, status, sequence, snapshot)
       SELECT (r->>0)::uuid, r->>1, '${REST_AGENCY}', '1.001612', r->>2, 'both', 'processing', 3, (r->>3)::jsonb
         FROM jsonb_array_elements($1::jsonb) AS r`,
      [JSON.stringify(rows)],
    );
    await log.append(entries);
    seeded.messages += entries.length;
  }
  return seeded;
}
