import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AdapterSpec } from '@bridge/adapter-sdk';
import { parseAnswer } from './igate-legacy-protocol';
import { changesOf, receiptOf } from './igate-legacy-records';

/** Golden files: recorded iGate answers → canonical receipt / changes (UPDATE_GOLDEN=1 rewrites). */
const fixtures = join(__dirname, '..', 'fixtures');
const { adapter } = parse(readFileSync(join(fixtures, 'agency.example.yaml'), 'utf8')) as {
  adapter: AdapterSpec;
};
const dates = { format: 'yyyyMMddHHmmss', zone: adapter.dates.zone };

const cases: [string, (text: string) => unknown][] = [
  ['nophs-answer', (text) => receiptOf(parseAnswer(text), adapter.statusCodes, dates)],
  ['thaydoi-answer', (text) => changesOf(parseAnswer(text), adapter.statusCodes, dates)],
];

describe('iGate answers → canonical (golden files)', () => {
  it.each(cases)('%s.txt → %s.expected.json', (name, run) => {
    const output = JSON.parse(JSON.stringify(run(readFileSync(join(fixtures, `${name}.txt`), 'utf8'))));
    const expectedFile = join(fixtures, `${name}.expected.json`);
    if (process.env.UPDATE_GOLDEN === '1')
      writeFileSync(expectedFile, `${JSON.stringify(output, null, 2)}\n`);
    expect(output).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
  });

  it('a not-found answer has no receipt in it', () => {
    const answer = parseAnswer(readFileSync(join(fixtures, 'tracuu-notfound-answer.txt'), 'utf8'));
    expect(answer.code).toBe('1001');
    expect(() => receiptOf(answer, adapter.statusCodes, dates)).toThrow(/without an HS record/);
  });
});
