import { execFile } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import * as iconv from 'iconv-lite';
import { stringify } from 'csv-stringify/sync';
import { IntegrationError, PollResult } from '@bridge/adapter-sdk';
import { encodeForAgency } from '@bridge/adapter-csv-drop';
import { Dossier } from '@bridge/domain';
import type { CsvPagingProbeJob, CsvPagingProbeReport } from '../support/csv-paging-probe';
import {
  csvFolders,
  CsvFolders,
  dropStatusFile,
  exampleCsvAdapter,
  exampleCsvSpec,
  namesIn,
  recordingContext,
  STATUS_HEADER,
} from './csv-drop-kit';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('csv drop');
const FORMULA = /^[=+\-@\t\r]/;
const SUBMISSION = path.join(__dirname, '..', '..', 'adapters', 'csv-drop', 'fixtures', 'submission.json');
/** The built paging probe (`npm run build` first, as for every end-to-end suite). */
const PAGING_PROBE = path.join(__dirname, '..', '..', 'dist', 'test', 'support', 'csv-paging-probe.js');
const execFileAsync = promisify(execFile);

describe('hostile CSV files through the csv-drop adapter', () => {
  let root: string;
  let folders: CsvFolders;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hostile-csv-'));
    folders = await csvFolders(root);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });
  afterAll(() => tally.print());

  async function pollOnce(): Promise<PollResult> {
    const adapter = exampleCsvAdapter(folders);
    try {
      const page = await adapter.poll(undefined, recordingContext());
      await page.commit?.();
      return page;
    } finally {
      await adapter.close?.();
    }
  }

  /** A file refused as a whole: no change from it, moved to failed with a note naming the reason. */
  async function quarantinesFile(label: string, name: string, bytes: Buffer | string, reason: RegExp) {
    await dropStatusFile(folders, name, bytes);
    let page: PollResult | undefined;
    let crashed = false;
    try {
      page = await pollOnce();
    } catch {
      crashed = true;
    }
    const note = await fs
      .readFile(path.join(folders.failedDir, `${name}.reason.txt`), 'utf8')
      .catch(() => '');
    const changes = page?.changes.length ?? -1;
    tally.record(label, { clean: reason.test(note), crashed, halfApplied: changes !== 0 });
    expect({ label, crashed, changes, note }).toEqual({
      label,
      crashed: false,
      changes: 0,
      note: expect.stringMatching(reason),
    });
    expect(await namesIn(folders.outboxDir)).not.toContain(name);
  }

  it('quarantines wrong and mixed encodings whole, with the reason', async () => {
    const good = `${STATUS_HEADER}\r\nA-1;;XL;23/09/2025 14:20;;Đà Nẵng\r\n`;
    // "Thủy" in UTF-8 (E1 BB A7) decodes as Windows-1258 without a replacement character: only
    // detecting the mix keeps it from being stored garbled.
    const mixed = Buffer.concat([
      Buffer.from(`${STATUS_HEADER}\r\nA-1;;XL;23/09/2025 14:20;;Nguyễn Thị Thủy\r\n`, 'utf8'),
      encodeForAgency('A-2;;XL;23/09/2025 14:21;;Trần Văn Ước\r\n', 'windows-1258'),
    ]);
    const mixedReason = /mixes UTF-8 and Windows-1258/;
    await quarantinesFile('UTF-8 and Windows-1258 mixed', 'TRANGTHAI_tron.csv', mixed, mixedReason);
    await quarantinesFile(
      'UTF-8 and Windows-1258 mixed, the other way round',
      'TRANGTHAI_tron2.csv',
      Buffer.concat([
        encodeForAgency(good, 'windows-1258'),
        Buffer.from('A-3;;XL;23/09/2025 14:22;;Thủy\r\n'),
      ]),
      mixedReason,
    );
    await quarantinesFile(
      'UTF-16',
      'TRANGTHAI_u16.csv',
      Buffer.from(`\ufeff${good}`, 'utf16le'),
      /NUL bytes: not a text \(CSV\) file/,
    );
    await quarantinesFile(
      'binary',
      'TRANGTHAI_bin.csv',
      Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x80]),
      /not a text \(CSV\) file/,
    );
    await quarantinesFile(
      'UTF-8 BOM then Windows-1258 bytes',
      'TRANGTHAI_bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encodeForAgency(good, 'windows-1258')]),
      /starts with a UTF-8 BOM but is not valid UTF-8/,
    );
    await quarantinesFile('no header', 'TRANGTHAI_trong.csv', '', /file is empty: no header row/);
    await quarantinesFile(
      'header without the status column',
      'TRANGTHAI_cot.csv',
      'MaHoSo;GhiChu\r\nA-1;x\r\n',
      /missing column\(s\) TrangThai/,
    );
    await quarantinesFile(
      'unterminated quote',
      'TRANGTHAI_ngoac.csv',
      `${STATUS_HEADER}\r\nA-1;;XL;23/09/2025 14:20;;"never closed\r\n`,
      /not a well-formed CSV file/,
    );
  });

  it('refuses a file that is one endless line at the answer cap, without buffering it', async () => {
    // 3 MB with no line break, past the default cap of 2 MiB (adapter.limits.maxResponseBytes).
    const endless = `${STATUS_HEADER}\r\nA-1;;XL;23/09/2025 14:20;;${'x'.repeat(3 * 1024 * 1024)}`;
    await quarantinesFile(
      'one endless line',
      'TRANGTHAI_dai.csv',
      endless,
      /a record is longer than the limit of 2097152 bytes \(adapter\.limits\.maxResponseBytes\)/,
    );
  });

  it('reads embedded newlines, quotes and delimiters back exactly, line numbers intact', async () => {
    const notes = ['Dòng 1\r\nDòng 2', 'Ông "Tư" nói; rồi đi', ';;;', '"', '\n'];
    const rows = notes.map((note, i) => [`A-${i}`, '', 'XL', '23/09/2025 14:20', '', note]);
    const text = stringify(
      [STATUS_HEADER.split(';'), ...rows, ['A-last', '', 'KQ', '23/09/2025 14:21', '', 'x']],
      {
        delimiter: ';',
        record_delimiter: 'windows',
      },
    );
    await dropStatusFile(folders, 'TRANGTHAI_nhieu-dong.csv', encodeForAgency(text, 'windows-1258'));
    const page = await pollOnce();
    expect(page.changes.map((c) => c.note)).toEqual([...notes.map((n) => n.trim() || undefined), 'x']);
    // the last row starts on physical line 2 + (breaks inside earlier rows) + rows before it
    const expectedLine = 2 + notes.length + 2; // two notes hold one line break each
    expect(page.changes[page.changes.length - 1].changeId).toMatch(new RegExp(`:${expectedLine}$`));
  });

  it('never lets a formula cell reach a generated CSV unescaped', async () => {
    const formulas = ['=HYPERLINK("http://x.vn","bấm")', '+84905123456', '-2+3', '@SUM(A1:A9)', '\t=1+1'];
    // unknown status code KHONGRO: every row is quarantined into the reject file
    const bad = formulas.map((f) => [f, '', 'KHONGRO', '23/09/2025 14:20', '', f]);
    const text = stringify([STATUS_HEADER.split(';'), ...bad], {
      delimiter: ';',
      record_delimiter: 'windows',
    });
    await dropStatusFile(folders, 'TRANGTHAI_congthuc.csv', text);
    const page = await pollOnce();
    expect(page.changes).toEqual([]);
    expect(page.rejected!.map((r) => r.line)).toEqual([2, 3, 4, 5, 6]);
    const [rejectFile] = await namesIn(folders.rejectDir);
    const rejectRows: string[][] = parse(readFileSync(path.join(folders.rejectDir, rejectFile), 'utf8'), {
      bom: true,
    });
    const cells = rejectRows.flat();
    const unescaped = cells.filter((c) => FORMULA.test(c));
    tally.record('formula cells in the reject file', {
      clean: unescaped.length === 0,
      halfApplied: page.changes.length > 0,
    });
    expect(unescaped).toEqual([]);

    const submission = JSON.parse(readFileSync(SUBMISSION, 'utf8')) as {
      idempotencyKey: string;
      dossier: Dossier;
    };
    const dossier = structuredClone(submission.dossier);
    if (dossier.applicant.kind === 'person') dossier.applicant.fullName = '=cmd|" /C calc"!A0';
    dossier.applicant.address.line = '@SUM(1+1)\nA-9;;KQ;01/01/2025 00:00'; // a line break must not split the row
    dossier.documents = [{ name: '-Tờ khai', form: 'original', count: 1 }];
    const adapter = exampleCsvAdapter(folders, { receiptWaitMs: 0 });
    await expect(
      adapter.submit({ idempotencyKey: submission.idempotencyKey, dossier }, recordingContext()),
    ).rejects.toThrow(IntegrationError);
    await adapter.close?.();
    const [dropped] = await namesIn(folders.inboxDir);
    const generated: string[][] = parse(decodeAgencyFile(path.join(folders.inboxDir, dropped)), {
      delimiter: ';',
    });
    const generatedUnescaped = generated.flat().filter((c) => FORMULA.test(c));
    tally.record('formula cells in a submission file', { clean: generatedUnescaped.length === 0 });
    expect(generated).toHaveLength(2);
    expect(generated[1].join(';')).toContain("'=cmd");
    expect(generatedUnescaped).toEqual([]);
  });

  it('refuses names with "..", symlinks out of the folder, and never touches their targets', async () => {
    const secret = path.join(root, 'bi-mat.csv');
    await fs.writeFile(secret, `${STATUS_HEADER}\r\nA-1;;XL;23/09/2025 14:20;;bí mật\r\n`);
    await fs.symlink(secret, path.join(folders.outboxDir, 'TRANGTHAI_lienket.csv'));
    await fs.writeFile(path.join(folders.outboxDir, 'TRANGTHAI_lienket.csv.done'), '');
    await fs.symlink('/etc/passwd', path.join(folders.outboxDir, 'TRANGTHAI_passwd.csv'));
    await fs.writeFile(path.join(folders.outboxDir, 'TRANGTHAI_passwd.csv.done'), '');
    await dropStatusFile(folders, 'TRANGTHAI_..csv', `${STATUS_HEADER}\r\nA-2;;XL;23/09/2025 14:20;;x\r\n`);
    const ctx = recordingContext();
    const adapter = exampleCsvAdapter(folders);
    const page = await adapter.poll(undefined, ctx);
    await page.commit?.();
    await adapter.close?.();
    const reasons = page.rejected!.map((r) => `${r.source}: ${r.reason}`).sort();
    const clean = page.changes.length === 0 && reasons.length === 3;
    for (const label of ['symlink to a file outside', 'symlink to /etc/passwd', 'name with ".."'])
      tally.record(label, { clean, halfApplied: page.changes.length > 0 });
    expect(page.changes).toEqual([]);
    expect(reasons).toEqual([
      'TRANGTHAI_..csv: file refused: file name holds ".."',
      expect.stringMatching(
        /^TRANGTHAI_lienket.csv: file refused: symbolic link resolves to .*bi-mat.csv, outside the folder$/,
      ),
      expect.stringMatching(
        /^TRANGTHAI_passwd.csv: file refused: symbolic link resolves to \/etc\/passwd, outside the folder$/,
      ),
    ]);
    expect(JSON.stringify(ctx.messages)).not.toContain('bí mật');
    expect(readFileSync(secret, 'utf8')).toContain('bí mật');
    expect(readFileSync('/etc/passwd', 'utf8').length).toBeGreaterThan(0);

    const submission = JSON.parse(readFileSync(SUBMISSION, 'utf8')) as { dossier: Dossier };
    const sender = exampleCsvAdapter(folders, { receiptWaitMs: 0 });
    await expect(
      sender.submit({ idempotencyKey: '../../vượt-ra', dossier: submission.dossier }, recordingContext()),
    ).rejects.toThrow();
    await sender.close?.();
    const dropped = await namesIn(folders.inboxDir);
    tally.record('idempotency key with "../"', {
      clean: dropped.length === 2 && dropped.every((name) => !name.includes('..')),
    });
    expect(dropped).toEqual([
      expect.stringMatching(/^NOP_______v__t-ra-[0-9a-f]{10}\.csv$/),
      expect.stringMatching(/^NOP_______v__t-ra-[0-9a-f]{10}\.csv\.done$/),
    ]);
    expect(await namesIn(root)).toEqual(['bi-mat.csv', 'dong-loi', 'loi', 'luu-tru', 'ra', 'vao']);
  });

  it('applies a million-row status file page by page in bounded memory, every row once', async () => {
    const rows = Number(process.env.HOSTILE_CSV_ROWS ?? 1_000_000);
    const pageRows = 5_000;
    const file = path.join(folders.outboxDir, 'TRANGTHAI_LON.csv');
    const handle = await fs.open(file, 'w');
    await handle.write(encodeForAgency(`${STATUS_HEADER}\r\n`, 'windows-1258'));
    const codes = ['TN', 'XL', 'BS', 'KQ', 'TC', 'TRA'];
    for (let start = 0; start < rows; start += 50_000) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + 50_000); i++) {
        const code = i % 100_000 === 99 ? 'DUYET' : codes[i % 6]; // a bad row now and then
        lines.push(`H-${i};;${code};22/09/2025 09:${String(i % 60).padStart(2, '0')};;Số ${i}`);
      }
      await handle.write(encodeForAgency(`${lines.join('\r\n')}\r\n`, 'windows-1258'));
    }
    await handle.close();
    await fs.writeFile(`${file}.done`, '');
    // The adapter runs in a process of its own (the built one, as the bridge runs it), with a
    // heap far too small for the file's rows: holding them all would end it out of memory.
    const job: CsvPagingProbeJob = {
      ...exampleCsvSpec(folders, { maxRowsPerPoll: pageRows }),
      crashBeforeCommitOf: 3,
    };
    const jobFile = path.join(root, 'job.json');
    await fs.writeFile(jobFile, JSON.stringify(job));
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--max-old-space-size=64', PAGING_PROBE, jobFile],
      { maxBuffer: 1 << 20 },
    );
    const report = JSON.parse(stdout) as CsvPagingProbeReport;
    console.log(
      `csv drop: ${rows} rows in ${report.pages} pages in ${report.seconds.toFixed(1)} s, ` +
        `RSS ${report.rssBeforeMb} → ${report.rssPeakMb} MB, heap peak ${report.heapPeakMb} MB`,
    );
    expect(report).toMatchObject({
      rows,
      contiguous: true,
      crashReread: true,
      archived: true,
      pages: Math.ceil(rows / pageRows) + 1, // the page read again after the crash
      lastChange: { agencyDossierCode: `H-${rows - 1}`, note: `Số ${rows - 1}` },
    });
    expect(report.largestPage).toBe(pageRows);
    expect(report.rssPeakMb - report.rssBeforeMb).toBeLessThan(150);
    const [rejectFile] = await namesIn(folders.rejectDir);
    const rejected = readFileSync(path.join(folders.rejectDir, rejectFile), 'utf8').trim().split('\r\n');
    expect(rejected).toHaveLength(1 + Math.ceil((rows - 99) / 100_000));
  }, 120_000);
});

/** Reads a file the adapter wrote for the agency (Windows-1258) back as text. */
function decodeAgencyFile(file: string): string {
  return iconv.decode(readFileSync(file), 'windows-1258');
}
