import { parse } from 'csv-parse/sync';
import {
  AdapterSpec,
  AgencyStatusChange,
  CompiledMapping,
  compileMappings,
  IntegrationError,
} from '@bridge/adapter-sdk';
import { CsvDropOptions } from './csv-drop-options';
import { CsvRow, renderCsv } from './csv-file-writer';
import { CSV_OPTIONS } from './status-file-reader';
import { StatusRowMapper, statusRowMapperFor } from './status-row-mapper';

/** The mappings that write the files the bridge drops. */
export type CsvRequestMapping = 'submitRequest' | 'supplementRequest' | 'deliveryRequest';

/** One data row of a status file read back from text: by column, or why it is unusable. */
export interface CsvStatusRecord {
  line: number;
  row?: Record<string, string>;
  reason?: string;
}

/**
 * A csv-drop agency's mappings and status table without its folders: writes the files its
 * request mappings make, as text, and reads status files kept as text (the message log holds
 * both) the way the poller reads them. For comparing a changed agency file with logged
 * exchanges. No I/O. Evaluations by JSONata are counted under `countFallbacksAs` only.
 */
export class CsvReplayDialect {
  private readonly mappings: Partial<Record<string, CompiledMapping>>;
  private readonly mapper: StatusRowMapper;
  private readonly delimiter: string;

  constructor(spec: AdapterSpec, countFallbacksAs?: string) {
    const options = spec.options as unknown as CsvDropOptions;
    this.delimiter = options.delimiter ?? ';';
    this.mappings = compileMappings(spec.mappings, {
      dates: spec.dates,
      statusCodes: spec.statusCodes,
      agency: countFallbacksAs,
      limits: spec.limits,
    });
    this.mapper = statusRowMapperFor(options, spec, this.mappings);
  }

  /** The text of the file `mapping` writes for `input`, as dropped (before encoding). */
  async requestFile(mapping: CsvRequestMapping, input: unknown): Promise<string> {
    const compiled = this.mappings[mapping];
    if (!compiled) throw IntegrationError.permanent(`csv-drop agency has no mappings.${mapping}`);
    return renderCsv(requestRows(await compiled(input)), this.delimiter);
  }

  /** A file's text as rows by header (for comparing dropped files field by field). */
  readFile(text: string): Record<string, string>[] {
    const [header = [], ...rows] = this.records(text);
    return rows.map((fields) => Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ''])));
  }

  /**
   * The data rows of a status file's text, header checked as the poller checks it.
   * @throws Error naming what makes the whole file unusable (missing columns, not CSV).
   */
  statusRecords(text: string): CsvStatusRecord[] {
    const [first, ...rows] = this.records(text);
    if (!first) throw new Error('file is empty: no header row');
    const header = first.map((h) => h.trim().normalize('NFC'));
    const problems = this.mapper.checkHeader(header);
    if (problems.length) throw new Error(problems.join('; '));
    return rows.map((fields, i) => {
      const line = i + 2;
      if (fields.length !== header.length)
        return { line, reason: `row has ${fields.length} fields, the header has ${header.length}` };
      const row = Object.fromEntries(header.map((h, c) => [h, fields[c].normalize('NFC')]));
      return { line, row };
    });
  }

  /** One status row as the status change the bridge concludes; throws why it is refused. */
  async statusChange(record: CsvStatusRecord): Promise<AgencyStatusChange> {
    if (!record.row) throw new Error(`line ${record.line}: ${record.reason}`);
    const outcome = await this.mapper.map(record.row);
    if ('reason' in outcome) throw new Error(`line ${record.line}: ${outcome.reason}`);
    return outcome.change;
  }

  private records(text: string): string[][] {
    const records: string[][] = parse(text.replace(/^\uFEFF/, ''), {
      ...CSV_OPTIONS,
      delimiter: this.delimiter,
    });
    return records;
  }
}

/** What a request mapping yields as the rows of one file: one object, or a list of them. */
export function requestRows(mapped: unknown): CsvRow[] {
  return (Array.isArray(mapped) ? mapped : [mapped]) as CsvRow[];
}
