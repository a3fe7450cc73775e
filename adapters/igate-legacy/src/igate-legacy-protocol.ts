import { createHmac } from 'node:crypto';
import { DateTime } from 'luxon';
import { IntegrationError } from '@bridge/adapter-sdk';

/**
 * The legacy iGate wire protocol: a form POST whose `data` field is a pipe-delimited payload,
 * signed per request with HMAC-SHA256 over `cmd|user|ts|data` (ts = yyyyMMddHHmmss, Vietnam
 * time), answered by fixed-width text: a header line `RRRR<message>` then one record per line.
 */
export type IgateCommand = 'NOPHS' | 'TRACUU' | 'BOSUNG' | 'TRAKQ' | 'THAYDOI' | 'PING';

/** Column layout of an `HS` (dossier) record, in characters after the 2-letter type. */
export const HS_LAYOUT = { maHoSo: 30, ngayHenTra: 8, trangThai: 2, maLienThong: 36, ngayNhan: 14 } as const;
/** Column layout of a `TD` (change) record; the note fills the rest of the line. */
export const TD_LAYOUT = { seq: 10, maHoSo: 30, trangThai: 2, thoiGian: 14, maLienThong: 36 } as const;

export interface IgateRecord {
  type: string;
  fields: Record<string, string>;
}

export interface IgateAnswer {
  code: string;
  message: string;
  records: IgateRecord[];
}

/** Joins payload fields with `|`; the format has no escaping, so pipes and line breaks become spaces. */
export function encodeFields(fields: (string | number | undefined)[]): string {
  return fields
    .map((f) =>
      String(f ?? '')
        .replace(/[|\r\n]+/g, ' ')
        .normalize('NFC'),
    )
    .join('|');
}

/** The signed form body of one request. */
export function signedForm(
  cmd: IgateCommand,
  user: string,
  secret: string,
  data: string,
  now = DateTime.now(),
): URLSearchParams {
  const ts = now.setZone('Asia/Ho_Chi_Minh').toFormat('yyyyMMddHHmmss');
  const sig = createHmac('sha256', secret).update(`${cmd}|${user}|${ts}|${data}`, 'utf8').digest('hex');
  return new URLSearchParams({ cmd, user, ts, data, sig });
}

function columns(line: string, layout: Record<string, number>): Record<string, string> {
  const fields: Record<string, string> = {};
  let at = 2;
  for (const [name, width] of Object.entries(layout)) {
    fields[name] = line.slice(at, at + width).trim();
    at += width;
  }
  fields.rest = line.slice(at).trim();
  return fields;
}

/** Parses a fixed-width answer; a malformed header means the vendor side is unwell (TEMPORARY). */
export function parseAnswer(text: string): IgateAnswer {
  const lines = text
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0] ?? '';
  if (!/^\d{4}/.test(header)) {
    throw IntegrationError.temporary(
      `iGate answer does not start with a 4-digit result code: "${header.slice(0, 60)}"`,
    );
  }
  const records = lines.slice(1).map((line, index): IgateRecord => {
    const type = line.slice(0, 2);
    if (type === 'HS') return { type, fields: columns(line, HS_LAYOUT) };
    if (type === 'TD') return { type, fields: columns(line, TD_LAYOUT) };
    throw IntegrationError.permanent(`iGate answer line ${index + 2} has unknown record type "${type}"`);
  });
  return { code: header.slice(0, 4), message: header.slice(4).trim(), records };
}
