import * as path from 'node:path';
import { AdapterFactory, AdapterSpec, IntegrationError, compileMappings } from '@bridge/adapter-sdk';
import { CsvDropAdapter } from './csv-drop-adapter';
import { CsvDropOptions, csvDropOptionsSchema, resolveCsvDropOptions } from './csv-drop-options';

const OUTBOUND_MAPPINGS = ['submitRequest', 'supplementRequest', 'deliveryRequest'] as const;

/**
 * Checks a `csv-drop` spec beyond its schema: the mappings it needs exist and compile, the
 * status table is not empty, and the folders do not overlap (the bridge must never read its
 * own drops as agency answers, nor archive into the folder it reads).
 */
export function checkCsvDropSpec(spec: AdapterSpec): string[] {
  const problems: string[] = [];
  for (const name of OUTBOUND_MAPPINGS) {
    if (!spec.mappings[name])
      problems.push(`mappings.${name}: required by csv-drop (its rows become the file)`);
  }
  const raw = spec.options as unknown as CsvDropOptions;
  if (!raw.columns && !spec.mappings.statusChange) {
    problems.push('options.columns: give the status-file columns, or mappings.statusChange');
  }
  if (Object.keys(spec.statusCodes).length === 0)
    problems.push('statusCodes: the status-code table is empty');
  try {
    compileMappings(spec.mappings, { dates: spec.dates, statusCodes: spec.statusCodes });
  } catch (error) {
    problems.push(`mappings: ${(error as Error).message}`);
  }
  let options;
  try {
    options = resolveCsvDropOptions(raw, spec.timeoutMs);
  } catch (error) {
    return [...problems, `options: ${(error as Error).message}`];
  }
  const folders: [string, string][] = [
    ['inboxDir', options.inboxDir],
    ['outboxDir', options.outboxDir],
    ['archiveDir', options.archiveDir],
    ['failedDir', options.failedDir],
    ['rejectDir', options.rejectDir],
  ];
  for (let i = 0; i < folders.length; i++) {
    for (let j = i + 1; j < folders.length; j++) {
      if (path.relative(folders[i][1], folders[j][1]) === '') {
        problems.push(
          `options.${folders[j][0]}: must differ from options.${folders[i][0]} (${folders[i][1]})`,
        );
      }
    }
  }
  if (raw.sandbox) {
    for (const [name, folder] of Object.entries(raw.sandbox) as [string, string][]) {
      const live = folders.find(([, dir]) => path.relative(dir, path.resolve(folder)) === '');
      if (live) problems.push(`options.sandbox.${name}: must differ from the live options.${live[0]}`);
    }
  }
  return problems;
}

/**
 * The spec of a CSV agency's test system: the same agency with its sandbox folders in place of
 * the live ones; null without sandbox folders (the live check then files nothing).
 */
export function csvDropSandboxSpec(spec: AdapterSpec): AdapterSpec | null {
  const options: Partial<CsvDropOptions> = { ...(spec.options as unknown as CsvDropOptions) };
  const sandbox = options.sandbox;
  if (!sandbox) return null;
  // The live folders go; the sandbox names its own (or gets the defaults beside its outbox).
  for (const key of ['sandbox', 'archiveDir', 'failedDir', 'rejectDir'] as const) delete options[key];
  return {
    ...spec,
    endpoint: spec.sandboxEndpoint ?? `file://${path.resolve(sandbox.inboxDir)}`,
    options: { ...options, ...sandbox },
  };
}

/** The `csv-drop` adapter kind: agencies that exchange CSV files through a shared folder. */
export const csvDropAdapterFactory: AdapterFactory = {
  optionsSchema: csvDropOptionsSchema,
  check: checkCsvDropSpec,
  sandboxSpec: csvDropSandboxSpec,
  create(agency, spec, deps) {
    const problems = checkCsvDropSpec(spec);
    if (problems.length) {
      throw IntegrationError.permanent(
        `agency ${agency.code}: csv-drop settings unusable: ${problems.join('; ')}`,
      );
    }
    return new CsvDropAdapter(agency, spec, deps);
  },
};
