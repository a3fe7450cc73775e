import jsonata from 'jsonata';
import { DateTime } from 'luxon';
import { DossierStatus, isDossierStatus, normalizeDeep } from '@bridge/domain';
import { DateSettings } from './adapter-spec';
import { IntegrationError } from './integration-error';

/**
 * The mapping engine: compiles an agency's JSONata expressions once and evaluates them with
 * the bridge's helper functions bound. Output is always NFC-normalized.
 *
 * Functions available inside every expression:
 * - `$toVendorDate(iso, format?)`   canonical ISO 8601 → the agency's date format
 * - `$fromVendorDate(text, format?)` the agency's date → ISO 8601 with offset
 * - `$status(code)`                 agency status code → canonical status (via the table)
 * - `$vendorStatus(status)`         canonical status → the agency's first matching code
 * - `$nfc(text)`                    Unicode NFC
 */
export interface MappingContext {
  dates: DateSettings;
  statusCodes: Record<string, DossierStatus>;
}

export type CompiledMapping = (input: unknown) => Promise<unknown>;

/** Parses a vendor date in `format` (a Luxon pattern or `iso`) in the agency's zone. */
export function parseVendorDate(text: string, dates: DateSettings, format = dates.format): string {
  const trimmed = String(text).trim();
  const parsed =
    format === 'iso'
      ? DateTime.fromISO(trimmed, { zone: dates.zone, setZone: true })
      : DateTime.fromFormat(trimmed, format, { zone: dates.zone });
  if (!parsed.isValid) {
    throw IntegrationError.permanent(`date "${trimmed}" does not match the agency's format ${format}`);
  }
  return parsed.toISO({ suppressMilliseconds: true });
}

/** Formats an ISO 8601 date in the agency's `format` and zone. */
export function formatVendorDate(iso: string, dates: DateSettings, format = dates.format): string {
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) throw IntegrationError.permanent(`"${iso}" is not an ISO 8601 date`);
  const local = parsed.setZone(dates.zone);
  return format === 'iso' ? (local.toISO({ suppressMilliseconds: true }) as string) : local.toFormat(format);
}

/** Maps an agency's status code to the canonical status; unknown codes are a mapping error. */
export function canonicalStatus(code: unknown, table: Record<string, DossierStatus>): DossierStatus {
  const key = String(code).trim();
  const status = table[key];
  if (!status || !isDossierStatus(status)) {
    throw IntegrationError.permanent(
      `agency status code "${key}" is not in the agency's status table (known: ${Object.keys(table).join(', ')})`,
    );
  }
  return status;
}

/** Compiles one expression; a syntax error names the mapping and the position. */
export function compileMapping(name: string, expression: string, context: MappingContext): CompiledMapping {
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(expression);
  } catch (error) {
    const e = error as { message?: string; position?: number };
    throw IntegrationError.permanent(
      `mapping "${name}" is not valid JSONata at position ${e.position}: ${e.message}`,
    );
  }
  const vendorCodes = Object.entries(context.statusCodes);
  compiled.registerFunction('toVendorDate', (iso?: string, format?: string) =>
    iso === undefined || iso === null ? undefined : formatVendorDate(iso, context.dates, format),
  );
  compiled.registerFunction('fromVendorDate', (text?: string, format?: string) =>
    text === undefined || text === null || text === ''
      ? undefined
      : parseVendorDate(text, context.dates, format),
  );
  compiled.registerFunction('status', (code: unknown) => canonicalStatus(code, context.statusCodes));
  compiled.registerFunction(
    'vendorStatus',
    (status: string) => vendorCodes.find(([, s]) => s === status)?.[0],
  );
  compiled.registerFunction('nfc', (text?: string) =>
    typeof text === 'string' ? text.normalize('NFC') : text,
  );

  return async (input: unknown) => {
    try {
      const output: unknown = await compiled.evaluate(normalizeDeep(input));
      return normalizeDeep(output);
    } catch (error) {
      if (error instanceof IntegrationError) throw error;
      const e = error as { message?: string; code?: string };
      throw IntegrationError.permanent(`mapping "${name}" failed: ${e.message ?? String(error)}`, {
        cause: error,
      });
    }
  };
}

/** Compiles every expression of an agency's mappings up front, so a bad one fails at apply time. */
export function compileMappings<K extends string>(
  mappings: Partial<Record<K, string | undefined>>,
  context: MappingContext,
): Partial<Record<K, CompiledMapping>> {
  const out: Partial<Record<K, CompiledMapping>> = {};
  for (const [name, expression] of Object.entries(mappings) as [K, string | undefined][]) {
    if (expression) out[name] = compileMapping(name, expression, context);
  }
  return out;
}
