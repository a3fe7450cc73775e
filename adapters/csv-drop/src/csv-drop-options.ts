import * as path from 'node:path';
import safeRegex from 'safe-regex2';
import { IntegrationError } from '@bridge/adapter-sdk';

/** How the bridge reads and writes the agency's files. */
export type CsvDropEncoding = 'auto' | 'utf-8' | 'windows-1258';

/**
 * Fast path for status files: which column holds each field of a status change. Cheaper than a
 * `statusChange` JSONata mapping on large files; dates go through `spec.dates`, codes through
 * `spec.statusCodes`.
 */
export interface CsvStatusColumns {
  agencyDossierCode?: string;
  bridgeId?: string;
  statusCode: string;
  at: string;
  note?: string;
  appointmentDate?: string;
}

/** Prefixes of the files the bridge drops, one per operation (`NOP_<key>.csv`...). */
export interface CsvFilePrefixes {
  submit: string;
  supplement: string;
  delivered: string;
}

/** Folders of a CSV agency's test system. */
export interface CsvSandboxFolders {
  inboxDir: string;
  outboxDir: string;
  archiveDir?: string;
  failedDir?: string;
  rejectDir?: string;
}

/** The `adapter.options` of a `csv-drop` agency, as written in the agency file. */
export interface CsvDropOptions {
  /** Where the bridge drops submissions, supplements and delivery notices. */
  inboxDir: string;
  /** Where the agency writes receipt and status files. */
  outboxDir: string;
  archiveDir?: string;
  failedDir?: string;
  rejectDir?: string;
  /**
   * The agency's test folders: `bridge agencies test` exchanges its sample files there, never
   * in the live ones (a CSV agency has no sandbox endpoint to swap in).
   */
  sandbox?: CsvSandboxFolders;
  encoding?: CsvDropEncoding;
  delimiter?: string;
  /** When set (e.g. `.done`), a file is complete only once `<file><suffix>` exists. */
  doneFileSuffix?: string;
  /** Without a done-file: a file is complete when unchanged for this long. */
  stableMs?: number;
  /** Which outbox files are status files: a glob (`*.csv`) or `/regex/`. */
  filePattern?: string;
  columns?: CsvStatusColumns;
  filePrefixes?: Partial<CsvFilePrefixes>;
  maxFileBytes?: number;
  maxRowBytes?: number;
  /** How often `submit` looks for the agency's receipt while waiting (default 500 ms). */
  receiptPollMs?: number;
  /** How long `submit` waits for the receipt before a TEMPORARY "no receipt yet" (default `timeoutMs`). */
  receiptWaitMs?: number;
  /** Lifetime of the folder lock; refreshed on every poll and commit (default 60 s). */
  lockTtlMs?: number;
  /** Files read per poll at most (default 20). */
  maxFilesPerPoll?: number;
  /**
   * Rows one poll returns at most (default 1000): a larger status file is applied page by
   * page, each page committed before the next is read, so memory does not grow with the file.
   */
  maxRowsPerPoll?: number;
  /** Files above this size are logged by hash only, not by content (default 1 MB). */
  recordMaxBytes?: number;
}

/** Options with every default filled in and every folder absolute. */
export interface ResolvedCsvDropOptions extends Required<
  Omit<CsvDropOptions, 'columns' | 'doneFileSuffix' | 'filePrefixes' | 'filePattern' | 'sandbox'>
> {
  columns?: CsvStatusColumns;
  doneFileSuffix?: string;
  filePrefixes: CsvFilePrefixes;
  filePattern: RegExp;
}

const columnName = { type: 'string', minLength: 1 } as const;

/** JSON Schema of a `csv-drop` agency's `adapter.options`. */
export const csvDropOptionsSchema = {
  type: 'object',
  required: ['inboxDir', 'outboxDir'],
  additionalProperties: false,
  properties: {
    inboxDir: { type: 'string', minLength: 1 },
    outboxDir: { type: 'string', minLength: 1 },
    archiveDir: { type: 'string', minLength: 1 },
    failedDir: { type: 'string', minLength: 1 },
    rejectDir: { type: 'string', minLength: 1 },
    sandbox: {
      type: 'object',
      required: ['inboxDir', 'outboxDir'],
      additionalProperties: false,
      properties: Object.fromEntries(
        ['inboxDir', 'outboxDir', 'archiveDir', 'failedDir', 'rejectDir'].map((k) => [
          k,
          { type: 'string', minLength: 1 },
        ]),
      ),
    },
    encoding: { enum: ['auto', 'utf-8', 'windows-1258'] },
    delimiter: { type: 'string', minLength: 1, maxLength: 1 },
    doneFileSuffix: { type: 'string', pattern: '^\\.[A-Za-z0-9_-]+$' },
    stableMs: { type: 'integer', minimum: 0 },
    filePattern: { type: 'string', minLength: 1 },
    columns: {
      type: 'object',
      required: ['statusCode', 'at'],
      additionalProperties: false,
      properties: {
        agencyDossierCode: columnName,
        bridgeId: columnName,
        statusCode: columnName,
        at: columnName,
        note: columnName,
        appointmentDate: columnName,
      },
    },
    filePrefixes: {
      type: 'object',
      additionalProperties: false,
      properties: {
        submit: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
        supplement: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
        delivered: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
      },
    },
    maxFileBytes: { type: 'integer', minimum: 1 },
    maxRowBytes: { type: 'integer', minimum: 16 },
    receiptPollMs: { type: 'integer', minimum: 10 },
    receiptWaitMs: { type: 'integer', minimum: 0 },
    lockTtlMs: { type: 'integer', minimum: 1000 },
    maxFilesPerPoll: { type: 'integer', minimum: 1 },
    maxRowsPerPoll: { type: 'integer', minimum: 1, maximum: 100_000 },
    recordMaxBytes: { type: 'integer', minimum: 0 },
  },
} as const;

/** The longest `/regex/` a filePattern may be: a file name is itself at most 200 characters. */
const MAX_PATTERN_LENGTH = 200;

/**
 * Turns a glob (`*.csv`, `TRANGTHAI_*.csv`) or a `/regex/flags` into a RegExp matched against
 * the whole file name. Globs know `*` and `?` only. A regular expression is refused when it
 * could backtrack catastrophically (nested quantifiers such as `(a+)+`, found by `safe-regex2`)
 * — every poll runs it over every name in the share, which the agency controls — and with the
 * `g` or `y` flag, which make `test` remember where it stopped and skip the next file.
 */
export function compileFilePattern(pattern: string): RegExp {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    const refuse = (why: string, cause?: unknown) =>
      IntegrationError.permanent(`options.filePattern "${pattern.slice(0, 80)}" ${why}`, { cause });
    if (pattern.length > MAX_PATTERN_LENGTH) throw refuse(`is longer than ${MAX_PATTERN_LENGTH} characters`);
    if (/[gy]/.test(regex[2]))
      throw refuse('may not use the g or y flag (they make each match start where the last one stopped)');
    let compiled: RegExp;
    try {
      compiled = new RegExp(regex[1], regex[2]);
    } catch (error) {
      throw refuse('is not a valid regular expression', error);
    }
    if (!safeRegex(compiled))
      throw refuse('could take exponential time on some file names (nested repetition such as (a+)+)');
    return compiled;
  }
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Fills defaults: archive and failed folders live under the outbox unless told otherwise. */
export function resolveCsvDropOptions(raw: CsvDropOptions, timeoutMs: number): ResolvedCsvDropOptions {
  const outboxDir = path.resolve(raw.outboxDir);
  const archiveDir = path.resolve(raw.archiveDir ?? path.join(outboxDir, 'archive'));
  const failedDir = path.resolve(raw.failedDir ?? path.join(outboxDir, 'failed'));
  return {
    inboxDir: path.resolve(raw.inboxDir),
    outboxDir,
    archiveDir,
    failedDir,
    rejectDir: path.resolve(raw.rejectDir ?? path.join(failedDir, 'rejects')),
    encoding: raw.encoding ?? 'auto',
    delimiter: raw.delimiter ?? ';',
    doneFileSuffix: raw.doneFileSuffix,
    stableMs: raw.stableMs ?? 5_000,
    filePattern: compileFilePattern(raw.filePattern ?? '*.csv'),
    columns: raw.columns,
    filePrefixes: { submit: 'NOP', supplement: 'BOSUNG', delivered: 'TRAKQ', ...raw.filePrefixes },
    maxFileBytes: raw.maxFileBytes ?? 200 * 1024 * 1024,
    maxRowBytes: raw.maxRowBytes ?? 64 * 1024,
    receiptPollMs: raw.receiptPollMs ?? 500,
    receiptWaitMs: raw.receiptWaitMs ?? timeoutMs,
    lockTtlMs: raw.lockTtlMs ?? 60_000,
    maxFilesPerPoll: raw.maxFilesPerPoll ?? 20,
    maxRowsPerPoll: raw.maxRowsPerPoll ?? 1_000,
    recordMaxBytes: raw.recordMaxBytes ?? 1024 * 1024,
  };
}
