import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CsvAgencySimulator } from '@bridge/simulator';
import { AdapterLogger, MemoryAdapterStore, PollResult, silentAdapterLogger } from '@bridge/adapter-sdk';
import { CsvDropAdapter } from './csv-drop-adapter';
import { csvDropAdapterFactory } from './csv-drop-adapter.factory';
import { CsvDropOptions } from './csv-drop-options';
import { exampleCsvDropSpec, recordingContext } from './csv-drop-test-kit';

const HEADER = 'MaHoSo;MaHoSoLienThong;TrangThai;NgayCapNhat;NgayHenTra;GhiChu';

describe('csv-drop adapter reading status files', () => {
  let agency: CsvAgencySimulator;
  let store: MemoryAdapterStore;
  const adapters: CsvDropAdapter[] = [];

  function adapterFor(overrides: Partial<CsvDropOptions> = {}, logger: AdapterLogger = silentAdapterLogger) {
    const { agency: identity, spec } = exampleCsvDropSpec({
      inboxDir: agency.inboxDir,
      outboxDir: agency.outboxDir,
      filePattern: '*.csv',
      ...overrides,
    });
    const adapter = csvDropAdapterFactory.create(identity, spec, { logger, store }) as CsvDropAdapter;
    adapters.push(adapter);
    return adapter;
  }

  async function pollAndCommit(adapter: CsvDropAdapter): Promise<PollResult> {
    const page = await adapter.poll(undefined, recordingContext());
    await page.commit?.();
    return page;
  }

  async function outbox(...sub: string[]): Promise<string[]> {
    return (await fs.readdir(path.join(agency.outboxDir, ...sub))).sort();
  }

  beforeEach(async () => {
    agency = await CsvAgencySimulator.start({ encoding: 'windows-1258', pollMs: 1_000 });
    store = new MemoryAdapterStore();
  });
  afterEach(async () => {
    for (const adapter of adapters.splice(0)) await adapter.close();
    await agency.close();
  });

  it('decodes a Windows-1258 file into the NFC originals and says which encoding it found', async () => {
    const logged: Record<string, unknown>[] = [];
    const adapter = adapterFor(
      { encoding: 'auto' },
      { ...silentAdapterLogger, info: (_m, c) => logged.push(c ?? {}) },
    );
    const names = ['Nguyễn Thị Thủy', 'Đà Nẵng', 'Trần Văn Ước', 'Phạm Thị Ngọc Diễm'];
    await agency.writeStatusFile(
      'TRANGTHAI_1.csv',
      names.map((note, i) => ({
        MaHoSo: `000.00.21.H48-250922-000${i}`,
        MaHoSoLienThong: '',
        TrangThai: 'XL',
        NgayCapNhat: '23/09/2025 14:20',
        GhiChu: note,
      })),
      'windows-1258',
    );
    const bytes = await fs.readFile(path.join(agency.outboxDir, 'TRANGTHAI_1.csv'));
    expect(bytes.includes(Buffer.from('Nguyễn', 'utf8'))).toBe(false); // really not UTF-8 on disk
    const ctx = recordingContext();
    const page = await adapter.poll(undefined, ctx);
    expect(page.changes.map((c) => c.note)).toEqual(names.map((n) => n.normalize('NFC')));
    expect(page.changes.every((c) => c.note === c.note!.normalize('NFC'))).toBe(true);
    expect(page.changes[0]).toMatchObject({
      status: 'processing',
      agencyStatusCode: 'XL',
      at: '2025-09-23T14:20:00+07:00',
    });
    expect(logged).toContainEqual(
      expect.objectContaining({ file: 'TRANGTHAI_1.csv', encoding: 'windows-1258' }),
    );
    expect(ctx.messages[0]).toMatchObject({ direction: 'inbound', status: 'windows-1258' });
    expect(ctx.messages[0].body).toContain('Nguyễn Thị Thủy');
  });

  it('reads UTF-8 with BOM and plain UTF-8 files alike', async () => {
    const adapter = adapterFor({ encoding: 'auto' });
    const row = {
      MaHoSo: 'A-1',
      MaHoSoLienThong: '',
      TrangThai: 'KQ',
      NgayCapNhat: '25/09/2025 15:45',
      GhiChu: 'Đà Nẵng',
    };
    await agency.writeStatusFile('a.csv', [row], 'utf-8-bom');
    await fs.writeFile(
      path.join(agency.outboxDir, 'b.csv'),
      `${HEADER}\nA-2;;KQ;25/09/2025 15:46;;Đà Nẵng\n`,
    );
    await fs.writeFile(path.join(agency.outboxDir, 'b.csv.done'), '');
    const ctx = recordingContext();
    const page = await adapter.poll(undefined, ctx);
    expect(page.changes.map((c) => [c.agencyDossierCode, c.note])).toEqual([
      ['A-1', 'Đà Nẵng'],
      ['A-2', 'Đà Nẵng'],
    ]);
    expect(ctx.messages.map((m) => m.status)).toEqual(['utf-8-bom', 'utf-8']);
  });

  it('leaves a file alone until its done-file exists', async () => {
    const adapter = adapterFor();
    await fs.writeFile(path.join(agency.outboxDir, 'c.csv'), `${HEADER}\nA-3;;XL;23/09/2025 14:20;;\n`);
    expect((await adapter.poll(undefined, recordingContext())).changes).toEqual([]);
    await fs.writeFile(path.join(agency.outboxDir, 'c.csv.done'), '');
    expect((await adapter.poll(undefined, recordingContext())).changes).toHaveLength(1);
  });

  it('without done-files, reads a file only once it stopped growing for stableMs', async () => {
    const adapter = adapterFor({ doneFileSuffix: undefined, stableMs: 400 });
    const file = path.join(agency.outboxDir, 'd.csv');
    await fs.writeFile(file, `${HEADER}\nA-4;;XL;23/09/2025 14:20;;\n`);
    expect((await adapter.poll(undefined, recordingContext())).changes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await fs.appendFile(file, 'A-5;;XL;23/09/2025 14:21;;\n'); // still growing
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await adapter.poll(undefined, recordingContext())).changes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const page = await adapter.poll(undefined, recordingContext());
    expect(page.changes.map((c) => c.agencyDossierCode)).toEqual(['A-4', 'A-5']);
  });

  it('moves nothing until commit, and gives the same change ids again before it', async () => {
    const adapter = adapterFor();
    await agency.writeStatusFile('e.csv', [
      { MaHoSo: 'A-6', MaHoSoLienThong: '', TrangThai: 'XL', NgayCapNhat: '23/09/2025 14:20' },
    ]);
    const first = await adapter.poll(undefined, recordingContext());
    const again = await adapter.poll(undefined, recordingContext());
    expect(again.changes.map((c) => c.changeId)).toEqual(first.changes.map((c) => c.changeId));
    expect(first.changes[0].changeId).toMatch(/^[0-9a-f]{64}:2$/);
    expect(await outbox()).toEqual(['e.csv', 'e.csv.done']);
    await first.commit!();
    expect(await outbox()).toEqual(['archive']);
    expect(await outbox('archive')).toEqual(['e.csv']);
    expect((await adapter.poll(undefined, recordingContext())).changes).toEqual([]);
  });

  it('returns at most maxRowsPerPoll rows per poll, across files, archiving each after its last page', async () => {
    const adapter = adapterFor({ maxRowsPerPoll: 3 });
    const row = (code: string) => ({
      MaHoSo: code,
      MaHoSoLienThong: '',
      TrangThai: 'XL',
      NgayCapNhat: '23/09/2025 14:20',
    });
    await agency.writeStatusFile('p1.csv', [row('P-1'), row('P-2')]);
    await agency.writeStatusFile('p2.csv', [row('P-3'), row('P-4'), row('P-5'), row('P-6')]);
    const first = await pollAndCommit(adapter);
    expect(first.changes.map((c) => c.agencyDossierCode)).toEqual(['P-1', 'P-2', 'P-3']);
    expect(first.more).toBe(true);
    expect(await outbox()).toEqual(['archive', 'p2.csv', 'p2.csv.done']);
    const second = await pollAndCommit(adapter);
    expect(second.changes.map((c) => c.agencyDossierCode)).toEqual(['P-4', 'P-5', 'P-6']);
    expect(second.changes[0].changeId).toMatch(/:3$/); // line 3 of p2.csv
    expect(second.more).toBe(false);
    expect(await outbox()).toEqual(['archive']);
    expect(await outbox('archive')).toEqual(['p1.csv', 'p2.csv']);
  });

  it('applies the same content dropped twice under different names once', async () => {
    const adapter = adapterFor();
    const rows = [{ MaHoSo: 'A-7', MaHoSoLienThong: '', TrangThai: 'KQ', NgayCapNhat: '25/09/2025 15:45' }];
    await agency.writeStatusFile('f1.csv', rows);
    expect((await pollAndCommit(adapter)).changes).toHaveLength(1);
    await agency.writeStatusFile('f2.csv', rows);
    await agency.writeStatusFile('f3.csv', rows);
    expect((await pollAndCommit(adapter)).changes).toEqual([]);
    expect(await outbox('archive')).toEqual([
      'f1.csv',
      'f2.csv',
      'f2.csv.note.txt',
      'f3.csv',
      'f3.csv.note.txt',
    ]);
    const note = await fs.readFile(path.join(agency.outboxDir, 'archive', 'f2.csv.note.txt'), 'utf8');
    expect(note).toContain('not applied');
    expect(note).toContain('f1.csv');
  });

  it('quarantines bad rows with their line numbers while the good rows proceed', async () => {
    const adapter = adapterFor();
    const text = [
      HEADER,
      'A-8;;XL;23/09/2025 14:20;;Đang xử lý',
      'A-9;;DUYET;23/09/2025 14:20;;mã lạ',
      'A-10;;XL;32/13/2025 25:00;;ngày sai',
      ';;XL;23/09/2025 14:20;;không mã',
      'A-11;;KQ;"25/09/2025 15:45";;"ghi chú',
      'hai dòng"',
      'A-12;;XL',
      'A-13;;TC;26/09/2025 08:00;;"=cmd|""/c calc""!A1"',
    ].join('\n');
    await fs.writeFile(path.join(agency.outboxDir, 'g.csv'), text);
    await fs.writeFile(path.join(agency.outboxDir, 'g.csv.done'), '');
    const page = await pollAndCommit(adapter);
    expect(page.changes.map((c) => [c.agencyDossierCode, c.changeId!.split(':')[1]])).toEqual([
      ['A-8', '2'],
      ['A-11', '6'],
      ['A-13', '9'],
    ]);
    expect(page.changes[1].note).toBe('ghi chú\nhai dòng');
    expect(page.rejected!.map((r) => [r.source, r.line])).toEqual([
      ['g.csv', 3],
      ['g.csv', 4],
      ['g.csv', 5],
      ['g.csv', 8],
    ]);
    expect(page.rejected![0].reason).toContain('"DUYET" is not in the agency\'s status table');
    expect(page.rejected![1].reason).toContain('32/13/2025 25:00');
    expect(page.rejected![2].reason).toContain('neither the agency dossier code nor the bridge id');
    expect(page.rejected![3].reason).toBe('row has 3 fields, the header has 6');
    const rejects = await fs.readFile(
      path.join(agency.outboxDir, 'failed', 'rejects', 'g.csv.rejects.csv'),
      'utf8',
    );
    const lines = rejects
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('line,reason,row');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['3', '4', '5', '8']);
    expect(lines[1]).toContain('A-9;;DUYET');
    expect(page.changes[2].note).toBe('=cmd|"/c calc"!A1'); // kept as the agency wrote it: it is data, not a cell
  });

  it('refuses names with ".." and symlinks that leave the folder, and moves them to failed', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'outside-'));
    const secret = path.join(outside, 'secret.csv');
    await fs.writeFile(secret, `${HEADER}\nX-1;;XL;23/09/2025 14:20;;bí mật\n`);
    await fs.symlink(secret, path.join(agency.outboxDir, 'link.csv'));
    await fs.writeFile(path.join(agency.outboxDir, 'link.csv.done'), '');
    await fs.writeFile(path.join(agency.outboxDir, 'a..evil.csv'), `${HEADER}\nX-2;;XL;23/09/2025 14:20;;\n`);
    await fs.writeFile(path.join(agency.outboxDir, 'a..evil.csv.done'), '');
    const adapter = adapterFor();
    const ctx = recordingContext();
    const page = await adapter.poll(undefined, ctx);
    expect(page.changes).toEqual([]);
    expect(ctx.messages.filter((m) => m.direction === 'inbound')).toEqual([]); // nothing read
    expect(page.rejected!.map((r) => r.source).sort()).toEqual(['a..evil.csv', 'link.csv']);
    expect(page.rejected!.find((r) => r.source === 'link.csv')!.reason).toContain('outside the folder');
    await page.commit!();
    expect(await outbox('failed')).toEqual([
      'a..evil.csv',
      'a..evil.csv.reason.txt',
      'link.csv',
      'link.csv.reason.txt',
    ]);
    expect(await fs.readFile(secret, 'utf8')).toContain('X-1'); // the target is untouched
    await fs.rm(outside, { recursive: true, force: true });
  });

  it('moves unreadable files to failed with a reason', async () => {
    const adapter = adapterFor({ maxFileBytes: 1_000 });
    const drop = async (name: string, bytes: Buffer | string) => {
      await fs.writeFile(path.join(agency.outboxDir, name), bytes);
      await fs.writeFile(path.join(agency.outboxDir, `${name}.done`), '');
    };
    await drop('big.csv', `${HEADER}\n${'A-1;;XL;23/09/2025 14:20;;x\n'.repeat(100)}`);
    await drop('binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]));
    await drop('columns.csv', 'Ma;Trang\nA;B\n');
    await drop('quotes.csv', `${HEADER}\nA-1;;XL;23/09/2025 14:20;;"unterminated\n`);
    const undecodable = Buffer.from(
      `${HEADER}\nA-1;;XL;23/09/2025 14:20;;\nA-2;;XL;23/09/2025 14:20;;x\x81\n`,
      'latin1',
    );
    await drop('undecodable.csv', undecodable); // 0x81 has no character in Windows-1258
    await drop('replacement.csv', `${HEADER}\nA-1;;XL;23/09/2025 14:20;;\uFFFD\n`);
    const page = await pollAndCommit(adapter);
    expect(page.changes).toEqual([]);
    const reasons = Object.fromEntries(page.rejected!.map((r) => [r.source, r.reason]));
    expect(reasons['big.csv']).toContain('above the limit of 1000');
    expect(reasons['binary.csv']).toContain('not a text (CSV) file');
    expect(reasons['columns.csv']).toContain('missing column(s) TrangThai, NgayCapNhat');
    expect(reasons['quotes.csv']).toContain('not a well-formed CSV file');
    expect(reasons['undecodable.csv']).toBe('line 3 holds bytes that are not valid windows-1258');
    expect(reasons['replacement.csv']).toBe('line 2 holds bytes that are not valid utf-8');
    const failed = await outbox('failed');
    for (const name of ['big.csv', 'binary.csv', 'columns.csv', 'quotes.csv', 'undecodable.csv']) {
      expect(failed).toContain(name);
      expect(
        await fs.readFile(path.join(agency.outboxDir, 'failed', `${name}.reason.txt`), 'utf8'),
      ).toContain(reasons[name]);
    }
  });

  it('lets only one bridge instance read the folder at a time', async () => {
    const first = adapterFor();
    const second = adapterFor();
    await agency.writeStatusFile('h.csv', [
      { MaHoSo: 'A-14', MaHoSoLienThong: '', TrangThai: 'XL', NgayCapNhat: '23/09/2025 14:20' },
    ]);
    expect((await first.poll(undefined, recordingContext())).changes).toHaveLength(1);
    expect((await second.poll(undefined, recordingContext())).changes).toEqual([]);
    await first.close(); // releases the lock
    expect((await second.poll(undefined, recordingContext())).changes).toHaveLength(1);
  });
});
