import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ADAPTER_FACTORIES, AgencyRegistryService, parseAgencyYaml, SecretCipher } from '@bridge/core';

const ROOT = join(__dirname, '..', '..');

/** The secret key every test bridge process is started with. */
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef';

/** An adapter kind's example agency file, parsed (adapters/<kind>/fixtures/agency.example.yaml). */
export function exampleAgency(kind: 'rest' | 'soap' | 'csv-drop' | 'igate-legacy'): Record<string, unknown> {
  const file = join(ROOT, 'adapters', kind, 'fixtures', 'agency.example.yaml');
  return parseAgencyYaml(file, readFileSync(file, 'utf8')).data as Record<string, unknown>;
}

/** Deep-merges `overrides` into a copy of `base` (objects merge, everything else replaces). */
export function withOverrides<T extends Record<string, unknown>>(
  base: T,
  overrides: Record<string, unknown>,
): T {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object' &&
      !Array.isArray(current)
        ? withOverrides(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out as T;
}

/** Registers agencies (agency-file objects) in a test schema, as `bridge agencies apply` would. */
export async function registerAgencies(
  dataSource: DataSource,
  agencies: Record<string, unknown>[],
): Promise<void> {
  const registry = new AgencyRegistryService(
    dataSource,
    new SecretCipher(TEST_SECRET_KEY),
    ADAPTER_FACTORIES,
  );
  await registry.apply(
    agencies.map((data, i) => ({ file: `test-agency-${i}`, data, problems: [] })),
    { appliedBy: 'test' },
  );
}
