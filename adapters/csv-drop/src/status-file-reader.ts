import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { AgencyStatusChange } from '@bridge/adapter-sdk';
import { StatusRowMapper } from './status-row-mapper';
import { DetectedEncoding, EncodingDetector, decoderStream, decodingFor } from './text-encoding';

/** A row of a status file that could not be used, with its 1-based line number. */
export interface RejectedRow {
  line: number;
  reason: string;
  raw: string;
}

/** What reading one status file gave. */
export interface StatusFileContent {
  sha256: string;
  size: number;
  /** How the bytes were decoded; recorded so an operator can see it was not guessed silently. */
  encoding?: DetectedEncoding;
  changes: AgencyStatusChange[];
  rejects: RejectedRow[];
  /** Set when the file as a whole is unusable (not CSV, undecodable, missing columns...). */
  failure?: string;
}

export interface StatusFileReadOptions {
  declaredEncoding: 'auto' | 'utf-8' | 'windows-1258';
  delimiter: string;
  maxRowBytes: number;
  mapper: StatusRowMapper;
}

/** First pass: the content hash and the encoding, without holding the file in memory. */
export async function fingerprintFile(
  file: string,
): Promise<{ sha256: string; size: number; detector: EncodingDetector }> {
  const hash = createHash('sha256');
  const detector = new EncodingDetector();
  let size = 0;
  for await (const chunk of createReadStream(file)) {
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
}

const LINE_BREAK = /\r\n|\r|\n/g;
const LEADING_BREAKS = /^(?:\r\n|\r|\n)+/;

/**
 * Line numbers are counted from the raw records rather than taken from csv-parse's `info`,
 * which miscounts CRLF files with quoted line breaks and empty lines. A raw record may lack the
 * final "\n" of its CRLF, but keeps the "\r", so counting breaks in it stays exact.
 */
function countBreaks(text: string): number {
  return text.match(LINE_BREAK)?.length ?? 0;
}

/** Validates one row into `content`; returns a reason when the whole file must be refused. */
async function handleRow(
  item: ParsedItem,
  line: number,
  header: string[],
  content: StatusFileContent,
  options: StatusFileReadOptions,
): Promise<string | undefined> {
  const raw = item.raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
  if (raw.includes('\uFFFD')) return `line ${line} holds bytes that are not valid ${content.encoding}`;
  const record = item.record;
  const reason =
    Buffer.byteLength(raw) > options.maxRowBytes
      ? `row is longer than ${options.maxRowBytes} bytes`
      : record.length !== header.length
        ? `row has ${record.length} fields, the header has ${header.length}`
        : undefined;
  if (reason) {
    content.rejects.push({ line, reason, raw: raw.normalize('NFC') });
    return undefined;
  }
  const outcome = await options.mapper.map(nfcRecord(header, record));
  if ('reason' in outcome) content.rejects.push({ line, reason: outcome.reason, raw: raw.normalize('NFC') });
  else content.changes.push({ ...outcome.change, changeId: `${content.sha256}:${line}` });
  return undefined;
}

function nfcRecord(header: string[], record: string[]): Record<string, string> {
  const row: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) {
    const value = record[i] ?? '';
    // Pure ASCII needs no normalisation; skipping it keeps large files fast.
    row[header[i]] = /^[\x00-\x7f]*$/.test(value) ? value : value.normalize('NFC');
  }
  return row;
}

/**
 * Reads one status file in two streaming passes: hash and encoding first, then decode → parse
 * → validate row by row. Good rows become changes with `changeId = <sha256>:<line>`; bad rows
 * are returned with their line numbers; a broken file gets `failure` and no changes.
 */
export async function readStatusFile(
  file: string,
  options: StatusFileReadOptions,
): Promise<StatusFileContent> {
  const { sha256, size, detector } = await fingerprintFile(file);
  const content: StatusFileContent = { sha256, size, changes: [], rejects: [] };
  const detected = detector.result();
  if ('problem' in detected) return { ...content, failure: detected.problem };
  const decoding = decodingFor(options.declaredEncoding, detected.encoding);
  if ('problem' in decoding) return { ...content, failure: decoding.problem };
  content.encoding = decoding.encoding;

  const parser = parse({
    delimiter: options.delimiter,
    raw: true,
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    skip_empty_lines: true,
  });
  const piped = pipeline(createReadStream(file), decoderStream(decoding.encoding), parser);
  piped.catch(() => undefined); // awaited below; this only keeps an early exit from leaking it
  let header: string[] | undefined;
  let linesBefore = 0;
  try {
    for await (const item of parser as AsyncIterable<ParsedItem>) {
      const line = linesBefore + 1 + countBreaks(LEADING_BREAKS.exec(item.raw)?.[0] ?? '');
      linesBefore += countBreaks(item.raw);
      if (!header) {
        header = item.record.map((h) => h.trim().normalize('NFC'));
        const problems = options.mapper.checkHeader(header);
        if (problems.length) {
          parser.destroy();
          return { ...content, failure: problems.join('; ') };
        }
        continue;
      }
      const failure = await handleRow(item, line, header, content, options);
      if (failure) {
        parser.destroy();
        return { ...content, changes: [], rejects: [], failure };
      }
    }
    await piped;
  } catch (error) {
    return {
      ...content,
      changes: [],
      rejects: [],
      failure: `not a well-formed CSV file: ${(error as Error).message}`,
    };
  }
  if (!header) return { ...content, failure: 'file is empty: no header row' };
  return content;
}
