import { randomUUID } from 'node:crypto';
import {
  buildUsernameTokenHeader,
  parseSafeXml,
  readEnvelope,
  SoapEnvelopeBuilder,
  SoapFault,
  UsernameTokenCredentials,
} from '@bridge/adapter-soap';

const VENDOR_NS = 'http://motcua.vendor-a.vn/lienthong/2019';

/** The UsernameToken of the example SOAP agency (adapters/soap/fixtures/agency.example.yaml). */
export const EXAMPLE_TOKEN: UsernameTokenCredentials = {
  username: 'buudien.haichau',
  password: 'Doi-Mat-Khau-Nay',
  passwordType: 'PasswordDigest',
};

/** The fields of one status record the example agency pushes (CapNhatTrangThai); undefined leaves one out. */
export interface PushRecord {
  MaHoSo?: string;
  MaHoSoLienThong?: string;
  TrangThai?: string;
  NgayCapNhat?: string;
  GhiChu?: string;
}

/**
 * A push the example agency would send: a UsernameToken header (a fresh digest token unless
 * another header is given) and one status record, "result ready" by default.
 */
export function statusPush(
  record: PushRecord = {},
  header: Record<string, unknown> = buildUsernameTokenHeader(EXAMPLE_TOKEN),
): string {
  return new SoapEnvelopeBuilder({ version: '1.1', namespace: VENDOR_NS, prefix: 'lt' }).build(
    'CapNhatTrangThai',
    withoutUndefined({
      MaHoSo: '000.00.53.H48-250916-0099',
      MaHoSoLienThong: randomUUID(),
      TrangThai: '9',
      NgayCapNhat: '20250922101500',
      GhiChu: 'Đã ký giấy khai sinh',
      ...record,
    }),
    header,
  );
}

/** The record without the fields set to undefined (a push that leaves them out). */
function withoutUndefined(record: PushRecord): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** The fault of a SOAP answer, if it is one. */
export function faultOf(text: string): SoapFault | undefined {
  try {
    return readEnvelope(parseSafeXml(text)).fault;
  } catch {
    return undefined;
  }
}
