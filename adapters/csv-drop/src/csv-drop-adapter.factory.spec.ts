import Ajv from 'ajv';
import { AdapterSpec } from '@bridge/adapter-sdk';
import { checkCsvDropSpec, csvDropAdapterFactory } from './csv-drop-adapter.factory';
import { compileFilePattern, resolveCsvDropOptions } from './csv-drop-options';
import { exampleCsvDropSpec } from './csv-drop-test-kit';

describe('csv-drop settings', () => {
  it('accepts the example agency file', () => {
    const { spec } = exampleCsvDropSpec({});
    const validate = new Ajv({ allErrors: true }).compile(csvDropAdapterFactory.optionsSchema);
    expect(validate(spec.options)).toBe(true);
    expect(checkCsvDropSpec(spec)).toEqual([]);
  });

  it('refuses unknown options and a bad encoding by schema', () => {
    const validate = new Ajv({ allErrors: true }).compile(csvDropAdapterFactory.optionsSchema);
    expect(
      validate({ inboxDir: '/a', outboxDir: '/b', encoding: 'tcvn3', watch: true, maxRowsPerPoll: 0 }),
    ).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath || e.params)).toEqual(
      expect.arrayContaining(['/encoding', { additionalProperty: 'watch' }, '/maxRowsPerPoll']),
    );
  });

  it('names every problem a schema cannot see', () => {
    const { spec } = exampleCsvDropSpec({ inboxDir: '/srv/x', outboxDir: '/srv/x/', columns: undefined });
    const broken: AdapterSpec = {
      ...spec,
      statusCodes: {},
      mappings: { submitRequest: '{ "a": ', supplementRequest: undefined, deliveryRequest: 'x' },
    };
    const problems = checkCsvDropSpec(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'mappings.supplementRequest: required by csv-drop (its rows become the file)',
        'options.columns: give the status-file columns, or mappings.statusChange',
        'statusCodes: the status-code table is empty',
        expect.stringMatching(/^mappings: mapping "submitRequest" is not valid JSONata/),
        'options.outboxDir: must differ from options.inboxDir (/srv/x)',
      ]),
    );
    expect(() => csvDropAdapterFactory.create({ code: 'X', name: 'X' }, broken, { logger: console })).toThrow(
      'csv-drop settings unusable',
    );
  });

  it('puts archive, failed and reject folders under the outbox by default', () => {
    const options = resolveCsvDropOptions({ inboxDir: '/srv/vao', outboxDir: '/srv/ra' }, 30_000);
    expect(options).toMatchObject({
      archiveDir: '/srv/ra/archive',
      failedDir: '/srv/ra/failed',
      rejectDir: '/srv/ra/failed/rejects',
      encoding: 'auto',
      delimiter: ';',
      maxFileBytes: 200 * 1024 * 1024,
      maxRowsPerPoll: 1_000,
      receiptWaitMs: 30_000,
    });
  });

  it('reads file patterns as globs or /regex/', () => {
    expect(compileFilePattern('TRANGTHAI_*.csv').test('trangthai_1.csv')).toBe(true);
    expect(compileFilePattern('TRANGTHAI_*.csv').test('NOP_1.csv')).toBe(false);
    expect(compileFilePattern('/^(TIEPNHAN|TRANGTHAI)_.*\\.csv$/').test('TIEPNHAN_1.csv')).toBe(true);
    expect(() => compileFilePattern('/([/')).toThrow('not a valid regular expression');
  });
});
