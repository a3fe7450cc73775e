/**
 * How often each agency's mappings were evaluated by JSONata instead of the synchronous
 * evaluator (see jsonata-sync): an expression outside its subset, or a case it met at run
 * time and does not reproduce. Kept per process; `/metrics` exports it as
 * `bridge_mapping_fallback_total{agency,mapping}`, and tools that run mappings read it here.
 */
export interface MappingFallbackCount {
  agency: string;
  mapping: string;
  count: number;
}

const counts = new Map<string, Map<string, number>>();

/** Tallies kept apart from the process's counts, by the key their mappings are compiled for. */
const tallies = new Map<string, Map<string, number>>();
const TALLY_PREFIX = 'fallback-tally:';
let tallySerial = 0;

/**
 * The fallbacks of one run of a tool, kept out of the process's counts (and so out of
 * `/metrics`): mappings compiled with `agency` set to {@link FallbackTally.key} count here.
 * Close it when done; later evaluations under a closed key are not counted anywhere.
 */
export interface FallbackTally {
  readonly key: string;
  /** Evaluations of `mapping` JSONata made so far. */
  count(mapping: string): number;
  close(): void;
}

/** Opens a tally of its own for one run (the workbench's replay of a candidate agency file). */
export function openFallbackTally(): FallbackTally {
  const key = `${TALLY_PREFIX}${++tallySerial}`;
  const own = new Map<string, number>();
  tallies.set(key, own);
  return { key, count: (mapping) => own.get(mapping) ?? 0, close: () => tallies.delete(key) };
}

/** Counts one evaluation of `mapping` of `agency` that JSONata made. */
export function recordMappingFallback(agency: string, mapping: string): void {
  if (agency.startsWith(TALLY_PREFIX)) {
    const own = tallies.get(agency);
    own?.set(mapping, (own.get(mapping) ?? 0) + 1);
    return;
  }
  let byMapping = counts.get(agency);
  if (!byMapping) counts.set(agency, (byMapping = new Map<string, number>()));
  byMapping.set(mapping, (byMapping.get(mapping) ?? 0) + 1);
}

/** The counts so far, of one agency or of all, sorted by agency and mapping. */
export function mappingFallbackCounts(agency?: string): MappingFallbackCount[] {
  const out: MappingFallbackCount[] = [];
  for (const [code, byMapping] of counts) {
    if (agency !== undefined && code !== agency) continue;
    for (const [mapping, count] of byMapping) out.push({ agency: code, mapping, count });
  }
  return out.sort((a, b) => a.agency.localeCompare(b.agency) || a.mapping.localeCompare(b.mapping));
}

/** Forgets the counts of one agency, or all (tests, and tools that measure one run). */
export function resetMappingFallbacks(agency?: string): void {
  if (agency === undefined) counts.clear();
  else counts.delete(agency);
}
