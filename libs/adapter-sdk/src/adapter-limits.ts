import { AdapterSpec } from './adapter-spec';

/**
 * Bounds on what one agency may cost the bridge, from `adapter.limits` of its file. Every
 * agency shares the worker's event loop and memory, so no agency's mappings or answers may be
 * allowed to take them all.
 */
export interface AdapterLimits {
  /** Longest one mapping evaluation may run, in milliseconds (default 200). */
  mappingTimeMs: number;
  /** Deepest nesting of expression nodes one mapping evaluation may reach (default 200). */
  mappingDepth: number;
  /** Largest answer read from the agency, in bytes (default 2 MiB); reading stops there. */
  maxResponseBytes: number;
}

export const DEFAULT_ADAPTER_LIMITS: Readonly<AdapterLimits> = Object.freeze({
  mappingTimeMs: 200,
  mappingDepth: 200,
  maxResponseBytes: 2 * 1024 * 1024,
});

/** The limits of an agency: those its file sets, defaults for the rest. */
export function adapterLimits(spec: Pick<AdapterSpec, 'limits'>): AdapterLimits {
  return { ...DEFAULT_ADAPTER_LIMITS, ...spec.limits };
}
