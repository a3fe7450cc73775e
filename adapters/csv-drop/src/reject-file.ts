import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { escapeFormulaCell, LINE_BREAK_INSIDE } from './csv-file-writer';
import { freeName } from './file-moves';
import { StatusFileContent } from './status-file-reader';

/**
 * Quarantines the bad rows of a status file as `<rejectDir>/<file>.rejects.csv`: the line
 * number in the original file, the reason and the row as the agency wrote it (decoded, NFC),
 * so a person can fix and resend exactly those rows. UTF-8 with BOM for spreadsheets; cells
 * are formula-escaped because the rows came from outside.
 */
export async function writeRejectFile(
  rejectDir: string,
  fileName: string,
  content: StatusFileContent,
): Promise<string> {
  await fs.mkdir(rejectDir, { recursive: true });
  const rows = content.rejects.map((r) => [
    String(r.line),
    escapeFormulaCell(r.reason),
    escapeFormulaCell(r.raw),
  ]);
  const text = stringify([['line', 'reason', 'row'], ...rows], {
    record_delimiter: 'windows',
    quoted_match: LINE_BREAK_INSIDE,
  });
  const name = await freeName(rejectDir, `${fileName}.rejects.csv`);
  const target = path.join(rejectDir, name);
  const temporary = path.join(rejectDir, `.${name}.tmp`);
  await fs.writeFile(temporary, `\ufeff${text}`, 'utf8');
  await fs.rename(temporary, target);
  return target;
}
