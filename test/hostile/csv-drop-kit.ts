import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import {
  AdapterSpec,
  AgencyAdapter,
  AgencyIdentity,
  CallContext,
  ExchangedMessage,
  MemoryAdapterStore,
  silentAdapterLogger,
} from '@bridge/adapter-sdk';
import { csvDropAdapterFactory, CsvDropOptions } from '@bridge/adapter-csv-drop';

const EXAMPLE = path.join(__dirname, '..', '..', 'adapters', 'csv-drop', 'fixtures', 'agency.example.yaml');

/** The folders of one test: the agency's share (inbox, outbox) and the bridge's own. */
export interface CsvFolders {
  inboxDir: string;
  outboxDir: string;
  archiveDir: string;
  failedDir: string;
  rejectDir: string;
}

/** Creates the folders of a share under `root`. */
export async function csvFolders(root: string): Promise<CsvFolders> {
  const folders = {
    inboxDir: path.join(root, 'vao'),
    outboxDir: path.join(root, 'ra'),
    archiveDir: path.join(root, 'luu-tru'),
    failedDir: path.join(root, 'loi'),
    rejectDir: path.join(root, 'dong-loi'),
  };
  for (const dir of Object.values(folders)) await fs.mkdir(dir, { recursive: true });
  return folders;
}

/**
 * The example agency file's identity and adapter section (mappings, status codes, dates,
 * columns, done-files), with its folders pointed at the test's.
 */
export function exampleCsvSpec(
  folders: CsvFolders,
  overrides: Partial<CsvDropOptions> = {},
): { agency: AgencyIdentity; spec: AdapterSpec } {
  const file = parse(readFileSync(EXAMPLE, 'utf8')) as { code: string; name: string; adapter: AdapterSpec };
  const spec: AdapterSpec = {
    ...file.adapter,
    options: { ...file.adapter.options, ...folders, filePattern: '*.csv', ...overrides },
  };
  return { agency: { code: String(file.code), name: file.name }, spec };
}

/** A csv-drop adapter configured exactly as the example agency file, on the test's folders. */
export function exampleCsvAdapter(
  folders: CsvFolders,
  overrides: Partial<CsvDropOptions> = {},
): AgencyAdapter {
  const { agency, spec } = exampleCsvSpec(folders, overrides);
  return csvDropAdapterFactory.create(agency, spec, {
    logger: silentAdapterLogger,
    store: new MemoryAdapterStore(),
  });
}

/** A call context keeping what the adapter recorded. */
export function recordingContext(): CallContext & { messages: ExchangedMessage[] } {
  const messages: ExchangedMessage[] = [];
  return { correlationId: 'hostile-csv', record: (m) => messages.push(m), messages };
}

/** Writes a status file and its done-file into the outbox. */
export async function dropStatusFile(
  folders: CsvFolders,
  name: string,
  bytes: Buffer | string,
): Promise<void> {
  await fs.writeFile(path.join(folders.outboxDir, name), bytes);
  await fs.writeFile(path.join(folders.outboxDir, `${name}.done`), '');
}

/** Names in a folder, sorted; an absent folder is empty. */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** The status header of the example agency. */
export const STATUS_HEADER = 'MaHoSo;MaHoSoLienThong;TrangThai;NgayCapNhat;NgayHenTra;GhiChu';
