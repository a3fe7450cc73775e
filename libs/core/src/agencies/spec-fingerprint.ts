import { createHash } from 'node:crypto';
import { AdapterSpec } from '@bridge/adapter-sdk';
import { maskSecrets } from './adapter-secrets';

/** JSON with object keys sorted at every depth: equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * SHA-256 of the canonical spec with its secrets masked. Secrets stay out on purpose: a plain
 * hash over a weak password stored next to the rest of the spec would let anyone who reads the
 * table test guesses offline. Secret changes are detected by comparing decrypted values instead.
 */
export function specContentHash(spec: AdapterSpec): string {
  return createHash('sha256')
    .update(canonicalJson(maskSecrets(spec)))
    .digest('hex');
}

/** True when two clear-text specs say exactly the same thing, secrets included. */
export function sameSpec(a: AdapterSpec, b: AdapterSpec): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
