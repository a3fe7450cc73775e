import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryAdapterStore, silentAdapterLogger } from '@bridge/adapter-sdk';
import { csvDropAdapterFactory } from './csv-drop-adapter.factory';
import { CSV_DROP_FIXTURES, exampleCsvDropSpec, recordingContext } from './csv-drop-test-kit';

/**
 * Golden files: each recorded status file under fixtures/ must give exactly the canonical
 * changes and rejected rows in its `.expected.json`, so any change to decoding, parsing or
 * mapping shows up as a diff.
 */
describe('csv-drop golden status files', () => {
  const cases = ['TRANGTHAI_20250926_0001.windows-1258.csv'];

  it.each(cases)('%s gives its expected changes', async (fixture) => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'csv-golden-'));
    try {
      const inboxDir = path.join(root, 'inbox');
      const outboxDir = path.join(root, 'outbox');
      await fs.mkdir(inboxDir);
      await fs.mkdir(outboxDir);
      const name = fixture.replace('.windows-1258', '');
      await fs.copyFile(path.join(CSV_DROP_FIXTURES, fixture), path.join(outboxDir, name));
      await fs.writeFile(path.join(outboxDir, `${name}.done`), '');
      const { agency, spec } = exampleCsvDropSpec({ inboxDir, outboxDir });
      const adapter = csvDropAdapterFactory.create(agency, spec, {
        logger: silentAdapterLogger,
        store: new MemoryAdapterStore(),
      });
      const ctx = recordingContext();
      const page = await adapter.poll(undefined, ctx);
      const actual = { encoding: ctx.messages[0]?.status, changes: page.changes, rejected: page.rejected };
      const expectedFile = path.join(CSV_DROP_FIXTURES, fixture.replace(/\.csv$/, '.expected.json'));
      const expected: unknown = JSON.parse(await fs.readFile(expectedFile, 'utf8'));
      expect(actual).toEqual(expected);
      await adapter.close();
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
