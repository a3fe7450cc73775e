import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { IntegrationError } from '@bridge/adapter-sdk';
import { UnsafeFileError, writeNoFollow } from './no-follow-file';
import { encodeForAgency } from './text-encoding';

/** One row of an outbound file: header name → cell value. */
export type CsvRow = Record<string, unknown>;

/**
 * Neutralises spreadsheet formulas: a cell an agency officer opens in Excel must not run
 * `=HYPERLINK(...)` or `@SUM(...)`. Cells starting with `=`, `+`, `-`, `@`, tab or CR get a
 * leading single quote, which spreadsheets show as text.
 */
export function escapeFormulaCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * csv-stringify quotes a cell holding the record delimiter ("\r\n") but not a lone "\n" or
 * "\r", which most readers (ours included) take for the end of the row: an address with a
 * line break would split the row and let its second half pose as a row of its own.
 */
export const LINE_BREAK_INSIDE = /[\r\n]/;

function cellText(value: unknown, header: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return escapeFormulaCell(value.normalize('NFC'));
  if (typeof value === 'number' || typeof value === 'boolean') return escapeFormulaCell(String(value));
  throw IntegrationError.permanent(`mapping gave column "${header}" a ${typeof value}, not text or a number`);
}

/**
 * Renders mapped rows as CSV text. The header is the union of the rows' keys in first-seen
 * order, so a mapping decides the columns by the keys of the object it yields.
 */
export function renderCsv(rows: CsvRow[], delimiter: string): string {
  if (rows.length === 0) throw IntegrationError.permanent('mapping produced no rows to write');
  const header: string[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw IntegrationError.permanent('mapping must yield an object (one row) or an array of objects');
    }
    for (const key of Object.keys(row)) if (!header.includes(key)) header.push(key);
  }
  const records = rows.map((row) => header.map((h) => cellText(row[h], h)));
  return stringify([header.map(escapeFormulaCell), ...records], {
    delimiter,
    record_delimiter: 'windows',
    quoted_match: LINE_BREAK_INSIDE,
  });
}

/** Whether a file or its in-flight temporary exists; ENOENT means no. */
export async function fileExists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Writes a file the way a watching agency must see it: whole or not at all. The bytes go to a
 * hidden temporary name first (created, never opened through a link) and are renamed into
 * place; the done-file, when the agency uses one, is created only after the rename, and never
 * through a link the agency planted under its name.
 */
export async function writeFileAtomically(
  folder: string,
  name: string,
  bytes: Buffer,
  doneFileSuffix?: string,
): Promise<string> {
  const target = path.join(folder, name);
  const temporary = path.join(folder, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temporary, bytes, { flag: 'wx' });
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  if (doneFileSuffix) {
    await writeNoFollow(`${target}${doneFileSuffix}`, '').catch((error: unknown) => {
      if (error instanceof UnsafeFileError)
        throw IntegrationError.permanent(`done-file refused: ${error.message}`);
      throw error;
    });
  }
  return target;
}

/** Renders and encodes rows for the agency. */
export function encodeCsv(rows: CsvRow[], delimiter: string, encoding: 'utf-8' | 'windows-1258'): Buffer {
  return encodeForAgency(renderCsv(rows, delimiter), encoding);
}
