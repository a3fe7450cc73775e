import jsonata from 'jsonata';
import pLimit from 'p-limit';
import { DossierStatus, isDossierStatus, normalizeDeep } from '@bridge/domain';
import { AdapterLimits, DEFAULT_ADAPTER_LIMITS } from './adapter-limits';
import { DateSettings } from './adapter-spec';
import { IntegrationError, IntegrationErrorCode } from './integration-error';
import { BudgetExceeded, EvaluationLimits } from './jsonata-sync/evaluation-budget';
import { compileSync, MappingFunction } from './jsonata-sync/jsonata-compiler';
import { normalizedOutput } from './jsonata-sync/normalized-output';
import { recordMappingFallback } from './mapping-fallbacks';
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
  /** The agency whose mappings these are: its evaluations by JSONata are counted under its code. */
  agency?: string;
  /** Time and depth budget of each evaluation; defaults from {@link DEFAULT_ADAPTER_LIMITS}. */
  limits?: Partial<Pick<AdapterLimits, 'mappingTimeMs' | 'mappingDepth'>>;
}

/**
 * A mapping evaluation went over its agency's time or depth budget. PERMANENT: the same input
 * would take as long again. Loops over many records (poll pages, status files) let it through
 * instead of setting one record aside, since every further record would spend the budget again.
 */
export class MappingBudgetError extends IntegrationError {
  constructor(mapping: string, exceeded: BudgetExceeded) {
    super(
      IntegrationErrorCode.PERMANENT,
      exceeded.limit === 'time'
        ? `mapping "${mapping}" ran longer than its time budget of ${exceeded.value} ms (adapter.limits.mappingTimeMs)`
        : `mapping "${mapping}" nested deeper than its depth limit of ${exceeded.value} (adapter.limits.mappingDepth)`,
      { vendorCode: 'MAPPING_BUDGET', cause: exceeded },
    );
  }
}

/**
 * JSONata evaluations run one at a time in the process. JSONata awaits at every node, so
 * evaluations started together interleave node by node and each one's clock (its `timeout`,
 * wall time from its start) counts all the others: a hundred dossiers in flight on a mapping
 * that takes 10 ms alone all ran over a 200 ms budget and were dead-lettered as PERMANENT.
 * Queued, each evaluation's clock starts when it runs and counts its own work; the total is
 * the same CPU, since interleaving never ran two at once. Evaluations of the synchronous subset
 * never yield and never queue.
 */
const oneJsonataAtATime = pLimit(1);

/** JSONata's own codes for its `timeout` and `stack` options. */
const JSONATA_BUDGET_CODES: Record<string, BudgetExceeded['limit']> = { D1012: 'time', D1011: 'depth' };

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
 * Either evaluator stops at the context's time and depth budget with a {@link MappingBudgetError};
 * an input the synchronous evaluator gives up on part-way gets JSONata's whole budget afresh, so
 * one evaluation can take at most twice the time budget.
 */
export function compileMapping(name: string, expression: string, context: MappingContext): CompiledMapping {
  return forAgency(compileShared(name, expression, context), name, context.agency);
}

/**
 * A compiled mapping without an agency of its own, so that agencies with the same mappings share
 * it; `onFallback` is told of each evaluation JSONata makes, so it is counted for the agency that
 * asked.
 */
type SharedMapping = (input: unknown, onFallback?: () => void) => Promise<unknown>;

/** A shared mapping whose JSONata evaluations count under `agency`. */
function forAgency(shared: SharedMapping, name: string, agency: string | undefined): CompiledMapping {
  if (agency === undefined) return (input) => shared(input);
  const counted = () => recordMappingFallback(agency, name);
  return (input) => shared(input, counted);
}

function compileShared(name: string, expression: string, context: MappingContext): SharedMapping {
  const limits: EvaluationLimits = {
    timeMs: context.limits?.mappingTimeMs ?? DEFAULT_ADAPTER_LIMITS.mappingTimeMs,
    depth: context.limits?.mappingDepth ?? DEFAULT_ADAPTER_LIMITS.mappingDepth,
  };
  let compiled: jsonata.Expression;
  try {
    // JSONata checks both at every node it enters (its `timeout` and `stack` options).
    compiled = jsonata(expression, { timeout: limits.timeMs, stack: limits.depth });
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
  const sync = compileSync(compiled, helpers, limits);

  const viaJsonata = async (input: unknown, onFallback?: () => void) => {
    onFallback?.();
    try {
      const output: unknown = await oneJsonataAtATime(() => compiled.evaluate(normalizeDeep(input)));
      return normalizeDeep(output);
    } catch (error) {
      if (error instanceof IntegrationError) throw error;
      const e = error as { message?: string; code?: string };
      const exceeded = e.code === undefined ? undefined : JSONATA_BUDGET_CODES[e.code];
      if (exceeded) {
        const value = exceeded === 'time' ? limits.timeMs : limits.depth;
        throw new MappingBudgetError(name, new BudgetExceeded(exceeded, value));
      }
      throw IntegrationError.permanent(`mapping "${name}" failed: ${e.message ?? String(error)}`, {
        cause: error,
      });
    }
  };
  if (!sync) return viaJsonata;
  return async (input: unknown, onFallback?: () => void) => {
    try {
      return normalizedOutput(sync(normalizeDeep(input)));
    } catch (error) {
      // Over budget is final: JSONata would only spend the budget again.
      if (error instanceof BudgetExceeded) throw new MappingBudgetError(name, error);
      // A case outside the subset, or an error JSONata is to report in its own words.
      return viaJsonata(input, onFallback);
    }
  };
}

/**
 * Compiled mappings by their text and context, the agency left out. Agencies of one vendor share
 * their mappings word for word (thousands of communes on the same software), and a compiled
 * mapping holds no state of its own, so they share one: a compiled set costs about 200 KB and a
 * few milliseconds. Only the count of JSONata evaluations is the agency's ({@link forAgency}).
 */
const compiledCache = new Map<string, SharedMapping>();
const COMPILED_CACHE_MAX = 2_000;

/** How many compiled mappings the agencies share now (for tests of that sharing). */
export function sharedCompiledMappings(): number {
  return compiledCache.size;
}

/** Compiles every expression of an agency's mappings up front, so a bad one fails at apply time. */
export function compileMappings<K extends string>(
  mappings: Partial<Record<K, string | undefined>>,
  context: MappingContext,
): Partial<Record<K, CompiledMapping>> {
  const out: Partial<Record<K, CompiledMapping>> = {};
  const { agency, ...shared } = context;
  const contextKey = JSON.stringify(shared);
  for (const [name, expression] of Object.entries(mappings) as [K, string | undefined][]) {
    if (!expression) continue;
    const key = JSON.stringify([name, expression, contextKey]);
    let compiled = compiledCache.get(key);
    if (!compiled) {
      compiled = compileShared(name, expression, shared);
      if (compiledCache.size >= COMPILED_CACHE_MAX) compiledCache.delete(compiledCache.keys().next().value!);
      compiledCache.set(key, compiled);
    }
    out[name] = forAgency(compiled, name, agency);
  }
  return out;
}
