import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { agencyFilesSettings } from '@bridge/config';
import { ADAPTER_FACTORIES, AgencyRegistryService, parseAgencyYaml, SecretCipher } from '@bridge/core';
import { projectRoot } from './project-root';

/** The adapter kinds that ship an example agency file. */
export type ExampleAgencyKind = 'rest' | 'soap' | 'csv-drop' | 'igate-legacy';

/** An adapter kind's example agency file, parsed (adapters/<kind>/fixtures/agency.example.yaml). */
export function exampleAgency(kind: ExampleAgencyKind): Record<string, unknown> {
  const file = join(projectRoot(), 'adapters', kind, 'fixtures', 'agency.example.yaml');
  return parseAgencyYaml(file, readFileSync(file, 'utf8')).data as Record<string, unknown>;
}

/**
 * Deep-merges `overrides` into a copy of `base`: objects merge, everything else replaces, and an
 * `undefined` override removes the key.
 */
export function withOverrides<T extends Record<string, unknown>>(
  base: T,
  overrides: Record<string, unknown>,
): T {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(current)) out[key] = withOverrides(current, value);
    else out[key] = value;
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Who registers agencies, and with which secret key the bridge will read them. */
export interface RegisterAgenciesOptions {
  /** BRIDGE_SECRET_KEY of the bridge that will use the agencies (it encrypts their secrets). */
  secretKey: string;
  /** Recorded as the author of the change; also names the pseudo files (`<appliedBy>-agency-<i>`). */
  appliedBy: string;
  /**
   * Where the agencies' CSV folders may lie (default: the system's temporary directory, where
   * the simulated agencies make their shares).
   */
  filesRoot?: string;
}

/** Registers agencies (agency-file objects) in a schema, as `bridge agencies apply` would. */
export async function registerAgencies(
  dataSource: DataSource,
  agencies: Record<string, unknown>[],
  options: RegisterAgenciesOptions,
): Promise<void> {
  const registry = new AgencyRegistryService(
    dataSource,
    new SecretCipher(options.secretKey),
    ADAPTER_FACTORIES,
    { files: { ...agencyFilesSettings(process.env).settings, filesRoot: options.filesRoot ?? tmpdir() } },
  );
  await registry.apply(
    agencies.map((data, i) => ({ file: `${options.appliedBy}-agency-${i}`, data, problems: [] })),
    { appliedBy: options.appliedBy },
  );
}
