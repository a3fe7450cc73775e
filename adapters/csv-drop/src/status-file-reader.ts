import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import * as iconv from 'iconv-lite';
import { AgencyStatusChange } from '@bridge/adapter-sdk';
import { PinnedFile, readStreamOf, UnsafeFileError } from './no-follow-file';
import { StatusRowMapper } from './status-row-mapper';

/** A status file: pinned as the outbox scan found it, or (for tools and tests) a path. */
export type StatusSource = PinnedFile | string;
import { DetectedEncoding, EncodingDetector, decodingFor } from './text-encoding';

/** A row of a status file that could not be used, with its 1-based line number. */
export interface RejectedRow {
  line: number;
  reason: string;
  raw: string;
  /** The row by column name, when it was whole but did not map (it can be mapped again later). */
  record?: Record<string, string>;
  changeId?: string;
}

/** Where reading a status file stands: before data row `row`, at byte `offset`. */
export interface RowPosition {
  /** Byte offset in the file where the next row starts. */
  offset: number;
  /** Physical lines before `offset`, so the next row gets its exact line number. */
  lines: number;
  /** Data rows (after the header) before `offset`. */
  row: number;
}

/** What the first reading of a status file established, before any row is mapped. */
export interface StatusFileHead {
  sha256: string;
  size: number;
  /** How the bytes are decoded; recorded so an operator can see it was not guessed silently. */
  encoding?: DetectedEncoding;
  /** Set when the file as a whole is unusable (not CSV, undecodable, missing columns...). */
  failure?: string;
  /** The header, trimmed and NFC. */
  header: string[];
  /** Data rows in the file. */
  rows: number;
  /** Where the first data row starts. */
  start: RowPosition;
}

/** The rows of one page of a status file. */
export interface StatusPage {
  changes: AgencyStatusChange[];
  rejects: RejectedRow[];
  /** Where the next page starts. */
  next: RowPosition;
  /** No row is left after this page. */
  done: boolean;
}

/** What reading one whole status file gave. */
export interface StatusFileContent {
  sha256: string;
  size: number;
  encoding?: DetectedEncoding;
  changes: AgencyStatusChange[];
  rejects: RejectedRow[];
  failure?: string;
}

export interface StatusFileReadOptions {
  declaredEncoding: 'auto' | 'utf-8' | 'windows-1258';
  delimiter: string;
  maxRowBytes: number;
  /**
   * Longest record the parser buffers (the agency's answer cap): a file with a longer one is
   * refused whole, where `maxRowBytes` only sets one row aside, so that a file that is one
   * endless line cannot fill the memory.
   */
  maxRecordBytes: number;
  mapper: StatusRowMapper;
}

const UTF8_BOM_BYTES = 3;

/** First pass: the content hash and the encoding, without holding the file in memory. */
export async function fingerprintFile(
  file: StatusSource,
): Promise<{ sha256: string; size: number; detector: EncodingDetector }> {
  const hash = createHash('sha256');
  const detector = new EncodingDetector();
  let size = 0;
  for await (const chunk of await readStreamOf(file)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    detector.push(bytes);
    size += bytes.length;
  }
  return { sha256: hash.digest('hex'), size, detector };
}

interface ParsedItem {
  record: string[];
  raw: string;
  info: { bytes: number };
}

/** One CSV record as read, with its line number and the position after it. */
interface RawRecord {
  /** Fields as csv-parse gives them: UTF-8 text, or one character per byte for Windows-1258. */
  fields: string[];
  raw: string;
  line: number;
  end: RowPosition;
}

/** How every status file is parsed: strict quotes, CRLF or LF records, empty lines skipped. */
export const CSV_OPTIONS = {
  record_delimiter: ['\r\n', '\n'],
  relax_column_count: true,
  skip_empty_lines: true,
};

const LINE_BREAK = /\r\n|\r|\n/g;
const LEADING_BREAKS = /^(?:\r\n|\r|\n)+/;
const TRAILING_BREAKS = /[\r\n]+$/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Line numbers are counted from the raw records rather than taken from csv-parse's `info`,
 * which miscounts CRLF files with quoted line breaks and empty lines. A raw record may lack the
 * final "\n" of its CRLF, but keeps the "\r", so counting breaks in it stays exact.
 */
function countBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/**
 * Turns what csv-parse read into text. The parser works on the file's bytes so that its byte
 * counts are offsets in the file (a page can start where the last one ended); Windows-1258 is
 * parsed as one character per byte (its delimiters, quotes and line breaks are ASCII) and each
 * value holding other bytes is decoded by iconv-lite.
 */
function textDecoder(encoding: DetectedEncoding): (value: string) => string {
  if (encoding !== 'windows-1258') return (value) => value;
  return (value) =>
    NON_ASCII.test(value) ? iconv.decode(Buffer.from(value, 'latin1'), 'windows-1258') : value;
}

/** The records of a file from `from` on, parsed as they stream in. */
async function* recordsFrom(
  file: StatusSource,
  from: RowPosition,
  encoding: DetectedEncoding,
  delimiter: string,
  maxRecordBytes: number,
): AsyncGenerator<RawRecord> {
  const parser = parse({
    ...CSV_OPTIONS,
    delimiter,
    max_record_size: maxRecordBytes,
    encoding: encoding === 'windows-1258' ? 'latin1' : 'utf8',
    info: true,
    raw: true,
  });
  const piped = pipeline(await readStreamOf(file, from.offset), parser);
  piped.catch(() => undefined); // awaited below; this only keeps an early exit from leaking it
  let lines = from.lines;
  let row = from.row;
  try {
    for await (const item of parser as AsyncIterable<ParsedItem>) {
      const line = lines + 1 + countBreaks(LEADING_BREAKS.exec(item.raw)?.[0] ?? '');
      lines += countBreaks(item.raw);
      yield {
        fields: item.record,
        raw: item.raw,
        line,
        end: { offset: from.offset + item.info.bytes, lines, row: ++row },
      };
    }
    await piped;
  } finally {
    parser.destroy();
  }
}

/**
 * Reads a status file through without mapping a row: content hash and encoding first (raw
 * bytes), then the header, then every record parsed (and decoded, when some bytes give cause).
 * A file that is not CSV, holds undecodable bytes or lacks a column gets `failure`, so no page
 * of it is ever applied.
 */
export async function inspectStatusFile(
  file: StatusSource,
  options: StatusFileReadOptions,
): Promise<StatusFileHead> {
  let fingerprint: Awaited<ReturnType<typeof fingerprintFile>>;
  try {
    fingerprint = await fingerprintFile(file);
  } catch (error) {
    if (!(error instanceof UnsafeFileError)) throw error;
    return {
      sha256: '',
      size: 0,
      header: [],
      rows: 0,
      start: { offset: 0, lines: 0, row: 0 },
      failure: error.message,
    };
  }
  const { sha256, size, detector } = fingerprint;
  const head: StatusFileHead = { sha256, size, header: [], rows: 0, start: { offset: 0, lines: 0, row: 0 } };
  const detected = detector.result();
  if ('problem' in detected) return { ...head, failure: detected.problem };
  const decoding = decodingFor(options.declaredEncoding, detected.encoding);
  if ('problem' in decoding) return { ...head, failure: decoding.problem };
  const encoding = decoding.encoding;
  head.encoding = encoding;
  const decode = textDecoder(encoding);
  const begin = { offset: encoding === 'utf-8-bom' ? UTF8_BOM_BYTES : 0, lines: 0, row: -1 };
  const records = () => recordsFrom(file, begin, encoding, options.delimiter, options.maxRecordBytes);
  try {
    let first: RawRecord | undefined;
    for await (const record of records()) {
      first = record;
      break;
    }
    if (!first) return { ...head, failure: 'file is empty: no header row' };
    head.header = first.fields.map((h) => decode(h).trim().normalize('NFC'));
    const problems = options.mapper.checkHeader(head.header);
    if (problems.length) return { ...head, failure: problems.join('; ') };
    head.start = first.end;
    if (detector.mayHoldUndecodable(encoding)) {
      for await (const record of records()) {
        if (decode(record.raw).includes('\uFFFD'))
          return { ...head, failure: `line ${record.line} holds bytes that are not valid ${encoding}` };
      }
    }
    head.rows = await countRecords(file, head.start.offset, options.delimiter, options.maxRecordBytes);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      const limit = `the limit of ${options.maxRecordBytes} bytes (adapter.limits.maxResponseBytes)`;
      return { ...head, failure: `a record is longer than ${limit}; reading stopped there` };
    }
    return { ...head, failure: `not a well-formed CSV file: ${error.message}` };
  }
  return head;
}

/** How many records a file holds from `offset` on; throws the parser's error on bad CSV. */
async function countRecords(
  file: StatusSource,
  offset: number,
  delimiter: string,
  maxRecordBytes: number,
): Promise<number> {
  // Only the structure matters here: one character per byte is the cheapest way to parse it.
  const parser = parse({ ...CSV_OPTIONS, delimiter, encoding: 'latin1', max_record_size: maxRecordBytes });
  let count = 0;
  parser.on('data', () => (count += 1));
  await pipeline(await readStreamOf(file, offset), parser);
  return count;
}

/**
 * Reads at most `maxRows` data rows of an inspected file from `from` on and maps them: good rows
 * become changes with `changeId = <sha256>:<line>`, bad rows are returned with their line
 * numbers. Only the page is held in memory.
 */
export async function readStatusPage(
  file: StatusSource,
  head: StatusFileHead,
  from: RowPosition,
  maxRows: number,
  options: StatusFileReadOptions,
): Promise<StatusPage> {
  const page: StatusPage = { changes: [], rejects: [], next: from, done: from.row >= head.rows };
  if (page.done) return page;
  const decode = textDecoder(head.encoding!);
  for await (const record of recordsFrom(
    file,
    from,
    head.encoding!,
    options.delimiter,
    options.maxRecordBytes,
  )) {
    await mapRow(record, decode, head, page, options);
    page.next = record.end;
    if (record.end.row >= from.row + maxRows) break;
  }
  page.done = page.next.row >= head.rows;
  return page;
}

/** The bytes a row takes in the file, without the line breaks around it. */
function rowBytes(raw: string, encoding: DetectedEncoding): number {
  const breaks = (LEADING_BREAKS.exec(raw)?.[0].length ?? 0) + (TRAILING_BREAKS.exec(raw)?.[0].length ?? 0);
  return (encoding === 'windows-1258' ? raw.length : Buffer.byteLength(raw)) - breaks;
}

/** Validates one row into `page`. */
async function mapRow(
  record: RawRecord,
  decode: (value: string) => string,
  head: StatusFileHead,
  page: StatusPage,
  options: StatusFileReadOptions,
): Promise<void> {
  const text = () => decode(record.raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '')).normalize('NFC');
  const fields = record.fields;
  const header = head.header;
  const reason =
    rowBytes(record.raw, head.encoding!) > options.maxRowBytes
      ? `row is longer than ${options.maxRowBytes} bytes`
      : fields.length !== header.length
        ? `row has ${fields.length} fields, the header has ${header.length}`
        : undefined;
  const line = record.line;
  if (reason) {
    page.rejects.push({ line, reason, raw: text() });
    return;
  }
  const row: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) {
    const value = decode(fields[i] ?? '');
    // Pure ASCII needs no normalisation; skipping it keeps large files fast.
    row[header[i]] = NON_ASCII.test(value) ? value.normalize('NFC') : value;
  }
  const outcome = await options.mapper.map(row);
  const changeId = `${head.sha256}:${line}`;
  if ('reason' in outcome)
    page.rejects.push({ line, reason: outcome.reason, raw: text(), record: row, changeId });
  else page.changes.push({ ...outcome.change, changeId });
}

/** The pages of an inspected file from its first row on, `pageRows` rows each. */
export async function* statusPages(
  file: StatusSource,
  head: StatusFileHead,
  pageRows: number,
  options: StatusFileReadOptions,
): AsyncGenerator<StatusPage> {
  if (head.failure) return;
  for (let position = head.start; ;) {
    const page = await readStatusPage(file, head, position, pageRows, options);
    yield page;
    if (page.done) return;
    position = page.next;
  }
}

/**
 * Reads a whole status file, `pageRows` rows at a time, into one result: it holds every row at
 * once, so it suits small files (and checking that reading page by page loses nothing).
 */
export async function readStatusFile(
  file: StatusSource,
  options: StatusFileReadOptions,
  pageRows = 5_000,
): Promise<StatusFileContent> {
  const head = await inspectStatusFile(file, options);
  const { sha256, size, encoding, failure } = head;
  const content: StatusFileContent = { sha256, size, encoding, failure, changes: [], rejects: [] };
  for await (const page of statusPages(file, head, pageRows, options)) {
    content.changes.push(...page.changes);
    content.rejects.push(...page.rejects);
  }
  return content;
}
