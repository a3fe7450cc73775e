import jsonata from 'jsonata';
import { DossierStatus, isDossierStatus, normalizeDeep } from '@bridge/domain';
import { DateSettings } from './adapter-spec';
import { IntegrationError } from './integration-error';
import { compileSync, MappingFunction } from './jsonata-sync/jsonata-compiler';
import { formatVendorDate, parseVendorDate } from './vendor-dates';

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

/** The bridge's functions, bound to one agency's dates and status table. */
function mappingHelpers(context: MappingContext): Record<string, MappingFunction> {
  const vendorCodes = Object.entries(context.statusCodes);
  return {
    toVendorDate: (iso?: unknown, format?: unknown) =>
      iso === undefined || iso === null
        ? undefined
        : formatVendorDate(iso as string, context.dates, format as string | undefined),
    fromVendorDate: (text?: unknown, format?: unknown) =>
      text === undefined || text === null || text === ''
        ? undefined
        : parseVendorDate(text as string, context.dates, format as string | undefined),
    status: (code: unknown) => canonicalStatus(code, context.statusCodes),
    vendorStatus: (status: unknown) => vendorCodes.find(([, s]) => s === status)?.[0],
    nfc: (text?: unknown) => (typeof text === 'string' ? text.normalize('NFC') : text),
  };
}

/**
 * Compiles one expression; a syntax error names the mapping and the position.
 *
 * Expressions within the synchronous subset (see {@link compileSync}) are evaluated without
 * JSONata's per-node promises; JSONata evaluates everything else, and also any input on which
 * the subset gives up or fails, so results and error messages are JSONata's in every case.
 */
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
  const helpers = mappingHelpers(context);
  for (const [helper, implementation] of Object.entries(helpers)) {
    compiled.registerFunction(helper, implementation);
  }
  const sync = compileSync(compiled, helpers);

  const viaJsonata = async (input: unknown) => {
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
  if (!sync) return viaJsonata;
  return async (input: unknown) => {
    try {
      return normalizeDeep(sync(normalizeDeep(input)));
    } catch {
      // A case outside the subset, or an error JSONata is to report in its own words.
      return viaJsonata(input);
    }
  };
}

/**
 * Compiled mappings by their text and context. Agencies of one vendor share their mappings word
 * for word (thousands of communes on the same software), and a compiled mapping holds no state
 * of its own, so they share one: a compiled set costs about 200 KB and a few milliseconds.
 */
const compiledCache = new Map<string, CompiledMapping>();
const COMPILED_CACHE_MAX = 2_000;

/** Compiles every expression of an agency's mappings up front, so a bad one fails at apply time. */
export function compileMappings<K extends string>(
  mappings: Partial<Record<K, string | undefined>>,
  context: MappingContext,
): Partial<Record<K, CompiledMapping>> {
  const out: Partial<Record<K, CompiledMapping>> = {};
  const contextKey = JSON.stringify(context);
  for (const [name, expression] of Object.entries(mappings) as [K, string | undefined][]) {
    if (!expression) continue;
    const key = JSON.stringify([name, expression, contextKey]);
    let compiled = compiledCache.get(key);
    if (!compiled) {
      compiled = compileMapping(name, expression, context);
      if (compiledCache.size >= COMPILED_CACHE_MAX) compiledCache.delete(compiledCache.keys().next().value!);
      compiledCache.set(key, compiled);
    }
    out[name] = compiled;
  }
  return out;
}
