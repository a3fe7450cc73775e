import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryAdapterStore, silentAdapterLogger } from '@bridge/adapter-sdk';
import { csvDropAdapterFactory } from './csv-drop-adapter.factory';
import { encodeForAgency } from './text-encoding';
import { exampleCsvDropSpec, recordingContext } from './csv-drop-test-kit';

describe('csv-drop with a 100,000-row status file', () => {
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'csv-large-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('returns every row as a change, in order, with its own line', async () => {
    const inboxDir = path.join(root, 'inbox');
    const outboxDir = path.join(root, 'outbox');
    await fs.mkdir(inboxDir);
    await fs.mkdir(outboxDir);
    const rows = 100_000;
    const codes = ['TN', 'XL', 'BS', 'KQ', 'TC', 'TRA'];
    const lines = ['MaHoSo;MaHoSoLienThong;TrangThai;NgayCapNhat;NgayHenTra;GhiChu'];
    for (let i = 0; i < rows; i++) {
      const minute = String(i % 60).padStart(2, '0');
      lines.push(
        `000.00.21.H48-250922-${i};;${codes[i % codes.length]};22/09/2025 09:${minute};;Hồ sơ số ${i} của ông Trần Văn Ước`,
      );
    }
    await fs.writeFile(
      path.join(outboxDir, 'TRANGTHAI_LON.csv'),
      encodeForAgency(`${lines.join('\r\n')}\r\n`, 'windows-1258'),
    );
    await fs.writeFile(path.join(outboxDir, 'TRANGTHAI_LON.csv.done'), '');
    const { agency, spec } = exampleCsvDropSpec({ inboxDir, outboxDir });
    const adapter = csvDropAdapterFactory.create(agency, spec, {
      logger: silentAdapterLogger,
      store: new MemoryAdapterStore(),
    });

    const page = await adapter.poll(undefined, recordingContext());
    expect(page.rejected).toEqual([]);
    expect(page.changes).toHaveLength(rows);
    page.changes.forEach((change, i) => {
      if (
        change.agencyDossierCode !== `000.00.21.H48-250922-${i}` ||
        !change.changeId!.endsWith(`:${i + 2}`)
      ) {
        throw new Error(`row ${i} came back as ${JSON.stringify(change)}`);
      }
    });
    expect(page.changes[99_999]).toMatchObject({
      status: 'result_ready', // 99,999 % 6 = 3: KQ
      at: '2025-09-22T09:39:00+07:00',
      note: 'Hồ sơ số 99999 của ông Trần Văn Ước',
    });
    await page.commit!();
    expect(await fs.readdir(path.join(outboxDir, 'archive'))).toEqual(['TRANGTHAI_LON.csv']);
    await adapter.close();
  }, 60_000);
});
