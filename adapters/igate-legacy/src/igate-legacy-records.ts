import {
  AgencyReceipt,
  AgencyStatusChange,
  canonicalStatus,
  DateSettings,
  IntegrationError,
  parseVendorDate,
  RejectedRecord,
  setAsideRecord,
} from '@bridge/adapter-sdk';
import { DossierStatus } from '@bridge/domain';
import { IgateAnswer } from './igate-legacy-protocol';

type Table = Record<string, DossierStatus>;

/** The receipt in an answer's `HS` record (filing or look-up). */
export function receiptOf(answer: IgateAnswer, statusCodes: Table, dates: DateSettings): AgencyReceipt {
  const record = answer.records.find((r) => r.type === 'HS');
  if (!record) throw IntegrationError.permanent(`iGate answered ${answer.code} without an HS record`);
  const f = record.fields;
  return {
    agencyDossierCode: f.maHoSo,
    appointmentDate: f.ngayHenTra ? parseVendorDate(f.ngayHenTra, dates, 'yyyyMMdd') : undefined,
    receivedAt: f.ngayNhan ? parseVendorDate(f.ngayNhan, dates) : undefined,
    status: canonicalStatus(f.trangThai, statusCodes),
  };
}

/** One `TD` record of a THAYDOI answer as a canonical change; throws when it cannot be used. */
export function changeOfRecord(
  f: Record<string, string>,
  statusCodes: Table,
  dates: DateSettings,
): AgencyStatusChange {
  const change: AgencyStatusChange = {
    agencyDossierCode: f.maHoSo,
    status: canonicalStatus(f.trangThai, statusCodes),
    agencyStatusCode: f.trangThai,
    at: parseVendorDate(f.thoiGian, dates),
    changeId: String(Number(f.seq)),
  };
  if (f.maLienThong) change.bridgeId = f.maLienThong;
  if (f.rest) change.note = f.rest;
  return change;
}

/** The canonical changes in a THAYDOI answer, the records that cannot be used, the last sequence seen. */
export function changesOf(
  answer: IgateAnswer,
  statusCodes: Table,
  dates: DateSettings,
): { changes: AgencyStatusChange[]; rejected: RejectedRecord[]; lastSeq?: string } {
  const changes: AgencyStatusChange[] = [];
  const rejected: RejectedRecord[] = [];
  let lastSeq: string | undefined;
  for (const { fields: f } of answer.records.filter((r) => r.type === 'TD')) {
    lastSeq = String(Number(f.seq));
    try {
      changes.push(changeOfRecord(f, statusCodes, dates));
    } catch (error) {
      rejected.push(setAsideRecord(IGATE_CHANGES_SOURCE, f, error));
    }
  }
  return { changes, rejected, lastSeq };
}

/** Where set-aside THAYDOI records say they came from. */
export const IGATE_CHANGES_SOURCE = 'iGate THAYDOI';
