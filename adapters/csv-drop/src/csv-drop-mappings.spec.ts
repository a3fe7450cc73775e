import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileMappings } from '@bridge/adapter-sdk';
import { CsvRow, renderCsv } from './csv-file-writer';
import { CSV_DROP_FIXTURES, exampleCsvDropSpec } from './csv-drop-test-kit';

/**
 * Golden files for what the bridge drops: each input under fixtures/ through the example
 * agency's mapping must give exactly the CSV text beside it (before encoding).
 */
describe('csv-drop outbound mappings (golden files)', () => {
  const { spec } = exampleCsvDropSpec({});
  const mappings = compileMappings(spec.mappings, { dates: spec.dates, statusCodes: spec.statusCodes });
  const fixture = (name: string) => readFileSync(path.join(CSV_DROP_FIXTURES, name), 'utf8');

  it.each([
    ['submitRequest', 'submission.json', 'submit-request.expected.csv'],
    ['supplementRequest', 'supplement.json', 'supplement-request.expected.csv'],
    ['deliveryRequest', 'delivery.json', 'delivery-request.expected.csv'],
  ] as const)('%s: %s → %s', async (mapping, input, expected) => {
    const mapped = await mappings[mapping]!(JSON.parse(fixture(input)));
    const rows = (Array.isArray(mapped) ? mapped : [mapped]) as CsvRow[];
    expect(renderCsv(rows, spec.options.delimiter as string)).toBe(fixture(expected));
  });
});
