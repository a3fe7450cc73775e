import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  columnStatusMapper,
  escapeFormulaCell,
  LINE_BREAK_INSIDE,
  readStatusFile,
  renderCsv,
} from '@bridge/adapter-csv-drop';

const COLUMNS = {
  agencyDossierCode: 'MaHoSo',
  bridgeId: 'MaHoSoLienThong',
  statusCode: 'TrangThai',
  at: 'NgayCapNhat',
  note: 'GhiChu',
};
const HEADER = ['MaHoSo', 'MaHoSoLienThong', 'TrangThai', 'NgayCapNhat', 'GhiChu'];
const mapper = columnStatusMapper(
  COLUMNS,
  { XL: 'processing', KQ: 'result_ready' },
  { format: 'dd/MM/yyyy HH:mm', zone: 'Asia/Ho_Chi_Minh' },
);

/**
 * Any cell text an agency could write: every code point but NUL (a binary file) and U+FFFD
 * (the reader takes it for undecodable bytes), with quotes, delimiters and line breaks mixed in.
 */
const cell = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('"', ';', ',', '\n', '\r\n', '\r', '""', ' ', '=', '+', '-', '@', '\t', 'Đà Nẵng', 'ủ'),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join('').replace(/[\0\ufffd]/g, ''));

describe('CSV properties', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'csv-prop-'));
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads back every cell written with csv-stringify, with the line it starts on, in pages of any size', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(cell, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        async (notes, pageRows) => {
          const records = notes.map((note, i) => [`A-${i}`, '', 'XL', '23/09/2025 14:20', note]);
          // quoted_match: csv-stringify alone leaves a lone "\n" unquoted under CRLF records
          const text = stringify([HEADER, ...records], {
            delimiter: ';',
            record_delimiter: 'windows',
            quoted_match: LINE_BREAK_INSIDE,
          });
          const file = path.join(dir, `s${run++}.csv`);
          await fs.writeFile(file, text, 'utf8');
          // Each page starts where the last one ended: a page boundary must lose, split or
          // renumber nothing, whatever the quotes and line breaks around it.
          const content = await readStatusFile(
            file,
            {
              declaredEncoding: 'auto',
              delimiter: ';',
              maxRowBytes: 1 << 20,
              maxRecordBytes: 1 << 22,
              mapper,
            },
            pageRows,
          );
          expect(content.failure).toBeUndefined();
          expect(content.rejects).toEqual([]);
          expect(content.changes.map((c) => [c.agencyDossierCode, c.note])).toEqual(
            notes.map((n, i) => [`A-${i}`, n.normalize('NFC').trim() || undefined]),
          );
          let line = 2;
          content.changes.forEach((change, i) => {
            expect(change.changeId).toBe(`${content.sha256}:${line}`);
            line += 1 + (records[i][4].match(/\r\n|\r|\n/g)?.length ?? 0);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('escapes every formula prefix in generated files and keeps the rest of the cell', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.constantFrom('MaHoSo', 'HoTen', '=x', 'GhiChu'), cell), {
          minLength: 1,
          maxLength: 5,
        }),
        (rows) => {
          fc.pre(rows.some((r) => Object.keys(r).length > 0));
          const generated: string[][] = parse(renderCsv(rows, ';'), {
            delimiter: ';',
            relax_column_count: true,
          });
          for (const value of generated.flat()) expect(value).not.toMatch(/^[=+\-@\t\r]/);
          const [header, ...body] = generated;
          body.forEach((record, i) =>
            header.forEach((column, c) => {
              const key = column.startsWith("'") ? column.slice(1) : column;
              const original = rows[i][key];
              expect(record[c]).toBe(
                original === undefined ? '' : escapeFormulaCell(original.normalize('NFC')),
              );
            }),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
