import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { DossierStatus } from '@bridge/domain';

/**
 * "One-stop vendor C": software that exchanges semicolon-separated CSV files through a shared
 * folder, dates as `dd/MM/yyyy HH:mm` in Vietnam time, its own short status codes.
 */
export const VENDOR_C_DATE_FORMAT = 'dd/MM/yyyy HH:mm';
export const VENDOR_C_ZONE = 'Asia/Ho_Chi_Minh';
export const VENDOR_C_DELIMITER = ';';

/** Vendor C's status codes and what they mean canonically. */
export const VENDOR_C_STATUS_CODES: Record<string, DossierStatus> = {
  TN: 'received', // tiếp nhận
  XL: 'processing', // đang xử lý
  BS: 'supplement_requested', // yêu cầu bổ sung
  KQ: 'result_ready', // có kết quả
  TC: 'rejected', // từ chối
  TRA: 'completed', // đã trả kết quả
  HUY: 'cancelled', // hủy / rút hồ sơ
};

/** The columns of every status file vendor C writes, in order. */
export const VENDOR_C_STATUS_HEADER = [
  'MaHoSo',
  'MaHoSoLienThong',
  'TrangThai',
  'NgayCapNhat',
  'NgayHenTra',
  'GhiChu',
];

/** One row of a vendor C status file. */
export interface VendorCStatusRow {
  MaHoSo: string;
  MaHoSoLienThong: string;
  TrangThai: string;
  NgayCapNhat: string;
  NgayHenTra?: string;
  GhiChu?: string;
}

/** How vendor C writes its files. */
export type VendorCEncoding = 'windows-1258' | 'utf-8-bom';

export function vendorCDate(at: DateTime = DateTime.now()): string {
  return at.setZone(VENDOR_C_ZONE).toFormat(VENDOR_C_DATE_FORMAT);
}

/** The vendor code for a canonical status (first match), or undefined. */
export function vendorCCodeOf(status: DossierStatus): string | undefined {
  return Object.entries(VENDOR_C_STATUS_CODES).find(([, s]) => s === status)?.[0];
}

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/g;

/**
 * Windows-1258 has bytes for base letters with circumflex, breve and horn and for five tone
 * marks, but not for most toned letters: "ễ" is written "ê" + combining tilde. Vendor C spells
 * text that way before encoding (iconv-lite alone would write "?").
 */
export function encodeWindows1258(text: string): Buffer {
  let spelled = '';
  for (const char of text.normalize('NFC')) {
    const direct = iconv.decode(iconv.encode(char, 'windows-1258'), 'windows-1258') === char;
    if (direct) spelled += char;
    else {
      const nfd = char.normalize('NFD');
      spelled += nfd.replace(TONES, '').normalize('NFC') + (nfd.match(TONES) ?? []).join('');
    }
  }
  return iconv.encode(spelled, 'windows-1258');
}

/** Encodes a whole file the way vendor C writes it. */
export function encodeVendorC(text: string, encoding: VendorCEncoding): Buffer {
  return encoding === 'windows-1258'
    ? encodeWindows1258(text)
    : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.normalize('NFC'), 'utf8')]);
}

/** Reads a file the bridge dropped: UTF-8 (with or without BOM) or Windows-1258, as NFC. */
export function decodeVendorC(bytes: Buffer): string {
  const text = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))
    ? bytes.subarray(3).toString('utf8')
    : (() => {
        try {
          return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          return iconv.decode(bytes, 'windows-1258');
        }
      })();
  return text.normalize('NFC');
}

/** Parses a semicolon CSV with a header row into records keyed by column. */
export function parseVendorCCsv(text: string): Record<string, string>[] {
  return parse<Record<string, string>>(text, {
    delimiter: VENDOR_C_DELIMITER,
    columns: true,
    skip_empty_lines: true,
  });
}

/** Renders vendor C status rows as CSV text (CRLF, like the Windows software it is). */
export function renderVendorCStatus(rows: VendorCStatusRow[]): string {
  const records = rows.map((r) => VENDOR_C_STATUS_HEADER.map((h) => r[h as keyof VendorCStatusRow] ?? ''));
  return stringify([VENDOR_C_STATUS_HEADER, ...records], {
    delimiter: VENDOR_C_DELIMITER,
    record_delimiter: 'windows',
  });
}

/** Writes a file under a temporary name, renames it, then writes its done-file. */
export async function writeVendorCFile(
  folder: string,
  name: string,
  bytes: Buffer,
  doneSuffix?: string,
): Promise<void> {
  const temporary = path.join(folder, `.${name}.tmp`);
  await fs.writeFile(temporary, bytes);
  await fs.rename(temporary, path.join(folder, name));
  if (doneSuffix) await fs.writeFile(path.join(folder, `${name}${doneSuffix}`), '');
}
