import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { AdapterSpec, AgencyIdentity, CallContext, ExchangedMessage } from '@bridge/adapter-sdk';
import { Dossier } from '@bridge/domain';
import { CsvDropOptions } from './csv-drop-options';

/** The fixtures folder of this adapter kind. */
export const CSV_DROP_FIXTURES = path.join(__dirname, '..', 'fixtures');

/**
 * The example agency file's adapter section with its folders pointed at a test's own
 * folders, so tests exercise the same mappings an operator would deploy.
 */
export function exampleCsvDropSpec(overrides: Partial<CsvDropOptions>): {
  agency: AgencyIdentity;
  spec: AdapterSpec;
} {
  const file = parse(readFileSync(path.join(CSV_DROP_FIXTURES, 'agency.example.yaml'), 'utf8')) as {
    code: string;
    name: string;
    adapter: AdapterSpec;
  };
  const spec: AdapterSpec = {
    ...file.adapter,
    options: {
      ...file.adapter.options,
      archiveDir: undefined,
      failedDir: undefined,
      rejectDir: undefined,
      ...overrides,
    },
  };
  for (const key of Object.keys(spec.options)) if (spec.options[key] === undefined) delete spec.options[key];
  return { agency: { code: file.code, name: file.name }, spec };
}

/** The sample submission of the fixtures. */
export function sampleCsvDropDossier(): Dossier {
  const raw = readFileSync(path.join(CSV_DROP_FIXTURES, 'submission.json'), 'utf8');
  return (JSON.parse(raw) as { dossier: Dossier }).dossier;
}

/** A call context that keeps what the adapter recorded. */
export function recordingContext(): CallContext & { messages: ExchangedMessage[] } {
  const messages: ExchangedMessage[] = [];
  return { correlationId: 'csv-drop-test', record: (m) => messages.push(m), messages };
}
