import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AgencyAdapter,
  AgencyStatusChange,
  MemoryAdapterStore,
  PollResult,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { csvDropAdapterFactory } from './csv-drop-adapter.factory';
import { encodeForAgency } from './text-encoding';
import { exampleCsvDropSpec, recordingContext } from './csv-drop-test-kit';

const ROWS = 40_000;
const PAGE = 4_000;
const CODES = ['TN', 'XL', 'BS', 'KQ', 'TC', 'TRA'];

/** A vendor C status file of `rows` rows; every 10,000th has an unknown status code. */
function statusFile(rows: number): Buffer {
  const lines = ['MaHoSo;MaHoSoLienThong;TrangThai;NgayCapNhat;NgayHenTra;GhiChu'];
  for (let i = 0; i < rows; i++) {
    const minute = String(i % 60).padStart(2, '0');
    const code = i % 10_000 === 7 ? 'DUYET' : CODES[i % CODES.length];
    lines.push(
      `000.00.21.H48-250922-${i};;${code};22/09/2025 09:${minute};;Hồ sơ số ${i} của ông Trần Văn Ước`,
    );
  }
  return encodeForAgency(`${lines.join('\r\n')}\r\n`, 'windows-1258');
}

describe('csv-drop with a status file of many pages', () => {
  let root: string;
  let inboxDir: string;
  let outboxDir: string;
  let store: MemoryAdapterStore;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'csv-large-'));
    inboxDir = path.join(root, 'inbox');
    outboxDir = path.join(root, 'outbox');
    await fs.mkdir(inboxDir);
    await fs.mkdir(outboxDir);
    store = new MemoryAdapterStore();
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function drop(rows: number): Promise<void> {
    await fs.writeFile(path.join(outboxDir, 'TRANGTHAI_LON.csv'), statusFile(rows));
    await fs.writeFile(path.join(outboxDir, 'TRANGTHAI_LON.csv.done'), '');
  }

  /** An adapter as a (re)started bridge process would build it: same shared store. */
  function startAdapter(): AgencyAdapter {
    const { agency, spec } = exampleCsvDropSpec({ inboxDir, outboxDir, maxRowsPerPoll: PAGE });
    return csvDropAdapterFactory.create(agency, spec, { logger: silentAdapterLogger, store });
  }

  /** The 1-based line numbers of a page's good and bad rows, in file order. */
  function linesOf(page: PollResult): number[] {
    const good = page.changes.map((c) => Number(c.changeId!.split(':')[1]));
    const bad = page.rejected!.map((r) => r.line!);
    return [...good, ...bad].sort((a, b) => a - b);
  }

  it('returns it page by page, every row once and in order, archived after the last page', async () => {
    await drop(ROWS);
    const adapter = startAdapter();
    const seen: number[] = [];
    const rejectedLines: number[] = [];
    let pages = 0;
    let last: AgencyStatusChange | undefined;
    for (;;) {
      const page = await adapter.poll(undefined, recordingContext());
      pages += 1;
      expect(page.changes.length + page.rejected!.length).toBeLessThanOrEqual(PAGE);
      seen.push(...linesOf(page));
      rejectedLines.push(...page.rejected!.map((r) => r.line!));
      for (const change of page.changes) {
        const row = Number(change.changeId!.split(':')[1]) - 2;
        if (change.agencyDossierCode !== `000.00.21.H48-250922-${row}`)
          throw new Error(`line ${row + 2} came back as ${JSON.stringify(change)}`);
      }
      last = page.changes.at(-1) ?? last;
      const archivedBefore = await fs.readdir(path.join(outboxDir, 'archive')).catch(() => []);
      expect(archivedBefore).toEqual([]); // nothing archived before the last page is committed
      await page.commit!();
      if (!page.more) break;
    }
    expect(pages).toBe(ROWS / PAGE);
    expect(last).toMatchObject({
      agencyDossierCode: `000.00.21.H48-250922-${ROWS - 1}`,
      status: 'result_ready', // 39,999 % 6 = 3: KQ
      at: '2025-09-22T09:39:00+07:00',
      note: 'Hồ sơ số 39999 của ông Trần Văn Ước',
    });
    expect(seen).toEqual(Array.from({ length: ROWS }, (_, i) => i + 2));
    expect(rejectedLines).toEqual(Array.from({ length: ROWS / 10_000 }, (_, k) => k * 10_000 + 7 + 2));
    expect(await fs.readdir(outboxDir)).toEqual(['archive', 'failed']);
    expect(await fs.readdir(path.join(outboxDir, 'archive'))).toEqual(['TRANGTHAI_LON.csv']);
    const rejectFile = await fs.readFile(
      path.join(outboxDir, 'failed', 'rejects', 'TRANGTHAI_LON.csv.rejects.csv'),
      'utf8',
    );
    const rejectRows = rejectFile
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(rejectRows.map((r) => r.split(',')[0])).toEqual(['line', ...rejectedLines.map(String)]);
    expect((await adapter.poll(undefined, recordingContext())).changes).toEqual([]);
    await adapter.close();
  }, 60_000);

  it('after a crash before a commit, reads again only the page that was not committed', async () => {
    const rows = 20_000;
    await drop(rows);
    let adapter = startAdapter();
    const first = await adapter.poll(undefined, recordingContext());
    await first.commit!();
    const second = await adapter.poll(undefined, recordingContext());
    expect(linesOf(second)[0]).toBe(PAGE + 2);
    // The process dies here: the second page was read, perhaps applied, never committed. (After a
    // real crash the next process waits for the folder lock's TTL; here it is let go at once.)
    await adapter.close();
    adapter = startAdapter();
    const again = await adapter.poll(undefined, recordingContext());
    expect(again.changes.map((c) => c.changeId)).toEqual(second.changes.map((c) => c.changeId));
    expect(again.rejected).toEqual(second.rejected);
    await again.commit!();
    const third = await adapter.poll(undefined, recordingContext());
    expect(linesOf(third)[0]).toBe(2 * PAGE + 2);
    expect(third.rejected!.map((r) => r.line)).toEqual([10_009]);
    // A commit interrupted half-way runs again in full: its bad rows are not written twice.
    await third.commit!();
    await third.commit!();
    let read = 3 * PAGE;
    for (;;) {
      const page = await adapter.poll(undefined, recordingContext());
      expect(linesOf(page)[0]).toBe(read + 2);
      read += linesOf(page).length;
      await page.commit!();
      if (!page.more) break;
    }
    expect(read).toBe(rows);
    const rejectFile = await fs.readFile(
      path.join(outboxDir, 'failed', 'rejects', 'TRANGTHAI_LON.csv.rejects.csv'),
      'utf8',
    );
    expect(
      rejectFile
        .trim()
        .split('\r\n')
        .slice(1)
        .map((r) => r.split(',')[0]),
    ).toEqual(['9', '10009']); // once each
    await adapter.close();
  }, 60_000);
});
