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
  return problems;
}

/** The `csv-drop` adapter kind: agencies that exchange CSV files through a shared folder. */
export const csvDropAdapterFactory: AdapterFactory = {
  optionsSchema: csvDropOptionsSchema,
  check: checkCsvDropSpec,
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
