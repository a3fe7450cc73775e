import { parseAgencyCode, parseProcedureCode } from '@bridge/domain';

type Canonical = { ok: true; value: string } | { ok: false; error: string };

/**
 * The canonical agency code (QCVN 102:2016, e.g. `000.00.53.H48`) as the domain reads it —
 * full-width characters to ASCII, trimmed, upper case — or the domain's message naming the shape.
 */
export function canonicalAgencyCode(input: string): Canonical {
  const parsed = parseAgencyCode(input);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, error: parsed.error };
}

/** The canonical procedure code (`1.001612`, local variants joined with `.`), or why not. */
export function canonicalProcedureCode(input: string): Canonical {
  const parsed = parseProcedureCode(input);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, error: parsed.error };
}
