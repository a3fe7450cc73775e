import {
  AdapterSpec,
  AgencyStatusChange,
  CompiledMapping,
  DateSettings,
  IntegrationError,
  MappingBudgetError,
  canonicalStatus,
  parseVendorDate,
} from '@bridge/adapter-sdk';
import { DossierStatus } from '@bridge/domain';
import { CsvStatusColumns } from './csv-drop-options';
import { createVendorDateParser } from './vendor-date-parser';

/** The fields a status row yields before validation, by columns or by JSONata. */
interface RawStatusFields {
  agencyDossierCode?: unknown;
  bridgeId?: unknown;
  statusCode?: unknown;
  at?: unknown;
  note?: unknown;
  appointmentDate?: unknown;
}

/** A validated row, or why it was refused. */
export type RowOutcome = { change: AgencyStatusChange } | { reason: string };

/** Maps one status row (already NFC, keyed by header) to a status change. */
export interface StatusRowMapper {
  /** Problems with the header that make the whole file unusable; empty when fine. */
  checkHeader(header: string[]): string[];
  map(row: Record<string, string>): Promise<RowOutcome>;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

function dateParserFor(dates: DateSettings): (value: string) => string {
  const vendor = createVendorDateParser(dates);
  return (value) => {
    // A JSONata mapping may already have converted the date to ISO 8601.
    if (dates.format !== 'iso' && /^\d{4}-\d{2}-\d{2}T/.test(value))
      return parseVendorDate(value, dates, 'iso');
    return vendor(value);
  };
}

function validate(
  fields: RawStatusFields,
  statusCodes: Record<string, DossierStatus>,
  parseDate: (value: string) => string,
): RowOutcome {
  const agencyDossierCode = text(fields.agencyDossierCode);
  const bridgeId = text(fields.bridgeId);
  if (!agencyDossierCode && !bridgeId)
    return { reason: 'neither the agency dossier code nor the bridge id is filled' };
  const code = text(fields.statusCode);
  if (!code) return { reason: 'status code is empty' };
  try {
    const status = canonicalStatus(code, statusCodes);
    const atText = text(fields.at);
    if (!atText) return { reason: 'status date is empty' };
    const at = parseDate(atText);
    const appointmentText = text(fields.appointmentDate);
    const change: AgencyStatusChange = { status, agencyStatusCode: code, at };
    if (agencyDossierCode) change.agencyDossierCode = agencyDossierCode;
    if (bridgeId) change.bridgeId = bridgeId;
    const note = text(fields.note);
    if (note) change.note = note;
    if (appointmentText) change.appointmentDate = parseDate(appointmentText);
    return { change };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The fast path: named columns, no expression evaluation per row. */
export function columnStatusMapper(
  columns: CsvStatusColumns,
  statusCodes: Record<string, DossierStatus>,
  dates: DateSettings,
): StatusRowMapper {
  const parseDate = dateParserFor(dates);
  return {
    checkHeader(header) {
      const missing = [columns.statusCode, columns.at].filter((c) => !header.includes(c));
      const ids = [columns.agencyDossierCode, columns.bridgeId].filter((c): c is string => !!c);
      if (!ids.some((c) => header.includes(c))) missing.push(ids.join(' or ') || 'a dossier code column');
      // note and appointmentDate columns are optional: some exports leave them out.
      return missing.length ? [`missing column(s) ${missing.join(', ')} (header: ${header.join(', ')})`] : [];
    },
    async map(row) {
      return validate(
        {
          agencyDossierCode: columns.agencyDossierCode && row[columns.agencyDossierCode],
          bridgeId: columns.bridgeId && row[columns.bridgeId],
          statusCode: row[columns.statusCode],
          at: row[columns.at],
          note: columns.note && row[columns.note],
          appointmentDate: columns.appointmentDate && row[columns.appointmentDate],
        },
        statusCodes,
        parseDate,
      );
    },
  };
}

/** The flexible path: the agency's `statusChange` JSONata mapping, evaluated per row. */
export function jsonataStatusMapper(
  mapping: CompiledMapping,
  statusCodes: Record<string, DossierStatus>,
  dates: DateSettings,
): StatusRowMapper {
  const parseDate = dateParserFor(dates);
  return {
    checkHeader: () => [],
    async map(row) {
      let fields: unknown;
      try {
        fields = await mapping(row);
      } catch (error) {
        // Over the budget, every further row would spend it again: the file fails as a whole.
        if (error instanceof MappingBudgetError) throw error;
        return { reason: error instanceof IntegrationError ? error.message : String(error) };
      }
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
        return { reason: 'statusChange mapping did not yield an object' };
      }
      return validate(fields, statusCodes, parseDate);
    },
  };
}

/** How an agency's status rows are read: by named columns when set, else by its statusChange mapping. */
export function statusRowMapperFor(
  options: { columns?: CsvStatusColumns },
  spec: Pick<AdapterSpec, 'statusCodes' | 'dates'>,
  mappings: Partial<Record<string, CompiledMapping>>,
): StatusRowMapper {
  if (options.columns) return columnStatusMapper(options.columns, spec.statusCodes, spec.dates);
  if (mappings.statusChange) return jsonataStatusMapper(mappings.statusChange, spec.statusCodes, spec.dates);
  throw IntegrationError.permanent('csv-drop needs options.columns or mappings.statusChange');
}
