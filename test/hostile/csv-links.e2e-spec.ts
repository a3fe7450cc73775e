import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IntegrationError } from '@bridge/adapter-sdk';
import {
  inspectStatusFile,
  outboundFileName,
  scanOutbox,
  StatusFileReadOptions,
} from '@bridge/adapter-csv-drop';
import { columnStatusMapper } from '@bridge/adapter-csv-drop';
import {
  csvFolders,
  CsvFolders,
  dropStatusFile,
  exampleCsvAdapter,
  exampleCsvSpec,
  recordingContext,
  STATUS_HEADER,
} from './csv-drop-kit';
import { HostileTally } from './hostile-tally';

const tally = new HostileTally('csv links');
const VICTIM_TEXT = 'dữ liệu của bưu điện — không được ghi đè\n';

/**
 * The agency owns its side of the share and can plant links there. A done-file or note name
 * planted as a link must not let the bridge truncate the file it points at, and a status file
 * swapped for a link between the scan and the read must not be read.
 */
describe('hostile: CSV files without link tricks', () => {
  let root: string;
  let folders: CsvFolders;
  let victim: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hostile-links-'));
    folders = await csvFolders(root);
    victim = path.join(root, 'cua-buu-dien.txt'); // stands for any file the worker can write
    await fs.writeFile(victim, VICTIM_TEXT);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });
  afterAll(() => tally.print());

  it('never writes a done-file through a link the agency planted under its name', async () => {
    const adapter = exampleCsvAdapter(folders, { receiptWaitMs: 0 });
    try {
      const key = 'a4d1c7e2-5b7f-4e0a-9f3e-2d8c6b1a0f55';
      const done = path.join(folders.inboxDir, `${outboundFileName('TRAKQ', key)}.done`);
      await fs.symlink(victim, done);
      const notice = {
        idempotencyKey: key,
        agencyDossierCode: 'ST-0001',
        deliveredAt: '2025-09-30T09:00:00Z',
      };
      const error = await adapter.notifyDelivered(notice, recordingContext()).then(
        () => undefined,
        (e: unknown) => e,
      );
      const intact = readFileSync(victim, 'utf8') === VICTIM_TEXT;
      tally.record('TRAKQ done-file planted as a link', {
        clean:
          error instanceof IntegrationError && /done-file refused: .* is a symbolic link/.test(error.message),
        halfApplied: !intact,
      });
      expect(error).toBeInstanceOf(IntegrationError);
      expect((error as Error).message).toMatch(/done-file refused: .*TRAKQ_.*\.csv\.done is a symbolic link/);
      expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
    } finally {
      await adapter.close?.();
    }
  });

  it('never writes a failure note through a link the agency planted in the failed folder', async () => {
    await fs.symlink(victim, path.join(folders.failedDir, 'TRANGTHAI_hong.csv.reason.txt'));
    await dropStatusFile(folders, 'TRANGTHAI_hong.csv', 'không phải CSV "');
    const adapter = exampleCsvAdapter(folders);
    let failed = false;
    try {
      const page = await adapter.poll(undefined, recordingContext());
      await page.commit?.();
    } catch {
      failed = true; // refusing to write the note fails the poll; the victim is what matters
    } finally {
      await adapter.close?.();
    }
    const intact = readFileSync(victim, 'utf8') === VICTIM_TEXT;
    tally.record('failure note planted as a link', { clean: intact, crashed: false, halfApplied: !intact });
    expect({ failed, victim: readFileSync(victim, 'utf8') }).toEqual({ failed: true, victim: VICTIM_TEXT });
  });

  it('reads a status file as scanned: a swap for a link (or another file) after the scan is refused', async () => {
    const secret = path.join(root, 'bi-mat.csv');
    await fs.writeFile(secret, `${STATUS_HEADER}\r\nBM-1;;XL;23/09/2025 14:20;;bí mật của người khác\r\n`);
    const { spec } = exampleCsvSpec(folders);
    const options: StatusFileReadOptions = {
      declaredEncoding: 'auto',
      delimiter: ';',
      maxRowBytes: 65_536,
      maxRecordBytes: 2 * 1024 * 1024,
      mapper: columnStatusMapper(
        (spec.options as { columns: Parameters<typeof columnStatusMapper>[0] }).columns,
        spec.statusCodes,
        spec.dates,
      ),
    };
    for (const swap of ['link', 'other file'] as const) {
      const name = `TRANGTHAI_${swap === 'link' ? 'lienket' : 'khac'}.csv`;
      await dropStatusFile(folders, name, `${STATUS_HEADER}\r\nST-1;;XL;23/09/2025 14:20;;thật\r\n`);
      const { complete } = await scanOutbox(folders.outboxDir, {
        pattern: /\.csv$/,
        doneFileSuffix: '.done',
        stableMs: 0,
      });
      const listed = complete.find((f) => f.name === name)!;
      // Between the scan and the read the agency replaces the name.
      const file = path.join(folders.outboxDir, name);
      const replacement = path.join(root, `${name}.swap`);
      if (swap === 'link') await fs.symlink(secret, replacement);
      else await fs.copyFile(secret, replacement);
      await fs.rename(replacement, file);
      const head = await inspectStatusFile(listed, options);
      const reason = swap === 'link' ? /is a symbolic link/ : /was replaced after it was listed/;
      tally.record(`status file swapped for a ${swap} after the scan`, {
        clean: reason.test(head.failure ?? '') && head.rows === 0,
        halfApplied: head.rows > 0,
      });
      expect({ failure: head.failure, rows: head.rows, header: head.header }).toEqual({
        failure: expect.stringMatching(reason),
        rows: 0,
        header: [],
      });
    }
  });

  it('refuses a status file that is a link even when the link stays inside the folder', async () => {
    const real = path.join(folders.outboxDir, 'TRANGTHAI_that.txt');
    await fs.writeFile(real, `${STATUS_HEADER}\r\nST-2;;XL;23/09/2025 14:20;;x\r\n`);
    await fs.symlink(real, path.join(folders.outboxDir, 'TRANGTHAI_trong.csv'));
    await fs.writeFile(path.join(folders.outboxDir, 'TRANGTHAI_trong.csv.done'), '');
    const { complete, refused } = await scanOutbox(folders.outboxDir, {
      pattern: /\.csv$/,
      doneFileSuffix: '.done',
      stableMs: 0,
    });
    tally.record('status file linked inside the folder', {
      clean: complete.length === 0 && refused.length === 1,
    });
    expect(complete).toEqual([]);
    expect(refused.map((r) => r.reason)).toEqual([
      'symbolic link a status file must be a regular file, not a link',
    ]);
  });
});
