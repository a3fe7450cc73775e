import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { escapeFormulaCell, LINE_BREAK_INSIDE } from './csv-file-writer';
import { freeName } from './file-moves';
import { RejectedRow } from './status-file-reader';

/**
 * Quarantines the bad rows of a status file as `<rejectDir>/<file>.rejects.csv`: the line
 * number in the original file, the reason and the row as the agency wrote it (decoded, NFC),
 * so a person can fix and resend exactly those rows. UTF-8 with BOM for spreadsheets; cells
 * are formula-escaped because the rows came from outside.
 *
 * A large file is applied page by page, so its reject file grows page by page: each committed
 * page appends its rows to a hidden partial file, which becomes the reject file once the last
 * page is committed.
 */
export class RejectFile {
  constructor(
    private readonly rejectDir: string,
    private readonly fileName: string,
  ) {}

  /** Hidden, so nobody picks it up half written. */
  private get part(): string {
    return path.join(this.rejectDir, `.${this.fileName}.rejects.part`);
  }

  /**
   * Appends a page's rows after the first `from` bytes of the partial file (what the pages
   * committed before left), cutting off what an interrupted commit of this page wrote, and
   * returns the partial file's new size. A partial file gone although `from` > 0 was published
   * by an interrupted last commit: nothing is written again.
   */
  async append(from: number, rows: RejectedRow[]): Promise<number> {
    if (rows.length === 0) return from;
    await fs.mkdir(this.rejectDir, { recursive: true });
    const records = rows.map((r) => [String(r.line), escapeFormulaCell(r.reason), escapeFormulaCell(r.raw)]);
    const text = stringify(from === 0 ? [['line', 'reason', 'row'], ...records] : records, {
      record_delimiter: 'windows',
      quoted_match: LINE_BREAK_INSIDE,
    });
    const bytes = Buffer.from(from === 0 ? `\ufeff${text}` : text, 'utf8');
    let handle;
    try {
      handle = await fs.open(this.part, from === 0 ? 'w' : 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return from;
      throw error;
    }
    try {
      await handle.truncate(from);
      await handle.write(bytes, 0, bytes.length, from);
    } finally {
      await handle.close();
    }
    return from + bytes.length;
  }

  /** Moves the finished partial file to `<rejectDir>/<file>.rejects.csv` (or a free name beside it). */
  async publish(): Promise<string | null> {
    const name = await freeName(this.rejectDir, `${this.fileName}.rejects.csv`);
    const target = path.join(this.rejectDir, name);
    try {
      await fs.rename(this.part, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null; // published before
      throw error;
    }
    return target;
  }

  /** Removes a partial file left by an earlier reading of a file that in the end had no bad rows. */
  async discard(): Promise<void> {
    await fs.rm(this.part, { force: true });
  }
}
