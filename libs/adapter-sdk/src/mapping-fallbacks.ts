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

/** Counts one evaluation of `mapping` of `agency` that JSONata made. */
export function recordMappingFallback(agency: string, mapping: string): void {
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
