import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AdapterSpec, DeliveryNotice, DossierSubmission, SupplementSubmission } from '@bridge/adapter-sdk';
import { RestDialect } from './rest-dialect';

/**
 * Golden files: recorded vendor B payloads in fixtures/ go through the example agency file's
 * mappings; the canonical (or vendor) output must equal the `*.expected.json` beside them.
 * Run with UPDATE_GOLDEN=1 to rewrite the expected files after an intended mapping change.
 */
const fixtures = join(__dirname, '..', 'fixtures');
const read = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
const spec = (parse(readFileSync(join(fixtures, 'agency.example.yaml'), 'utf8')) as { adapter: AdapterSpec })
  .adapter;
const dialect = new RestDialect(spec);

const cases: [string, string, (input: unknown) => Promise<unknown>][] = [
  ['submission.json', 'submit-request.expected.json', (s) => dialect.submitBody(s as DossierSubmission)],
  ['submit-response.json', 'submit-response.expected.json', (a) => dialect.receipt(a)],
  ['lookup-response.json', 'lookup-response.expected.json', (a) => dialect.lookupReceipt(a)],
  ['lookup-response-empty.json', 'lookup-response-empty.expected.json', (a) => dialect.lookupReceipt(a)],
  ['poll-response.json', 'poll-response.expected.json', (a) => dialect.pollPage(a, 'poll /api/thaydoi')],
  [
    'callback-batch.json',
    'callback-batch.expected.json',
    (a) => Promise.all((a as unknown[]).map((c) => dialect.statusChange(c))),
  ],
  [
    'supplement.json',
    'supplement-request.expected.json',
    (s) => dialect.supplementBody(s as SupplementSubmission),
  ],
  ['delivery.json', 'delivery-request.expected.json', (n) => dialect.deliveryBody(n as DeliveryNotice)],
];

describe('rest example mappings (golden files)', () => {
  it.each(cases)('%s → %s', async (input, expected, run) => {
    const output = JSON.parse(JSON.stringify((await run(read(input))) ?? null));
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(join(fixtures, expected), `${JSON.stringify(output, null, 2)}\n`);
    }
    expect(output).toEqual(read(expected));
  });

  it('decodes Vietnamese sent decomposed (NFD) into NFC', async () => {
    const [change] = await Promise.all(
      (read('callback-batch.json') as unknown[]).map((c) => dialect.statusChange(c)),
    );
    expect(change.note).toBe('Đã ký duyệt, mời bưu điện đến nhận kết quả'.normalize('NFC'));
    expect(change.note).toHaveLength('Đã ký duyệt, mời bưu điện đến nhận kết quả'.normalize('NFC').length);
  });

  it('names the unknown status code of a polled record it cannot use', async () => {
    const page = await dialect.pollPage(read('poll-response.json'), 'poll /api/thaydoi');
    expect(page.rejected).toHaveLength(1);
    expect(page.rejected[0].reason).toContain('"CHUYEN_PHONG_KHAC"');
    expect(page.cursor).toBe('44');
  });

  it('refuses a submit answer without a dossier code', async () => {
    await expect(dialect.receipt({ trangThai: 'MOI_TIEP_NHAN' })).rejects.toMatchObject({
      code: 'PERMANENT',
    });
  });
});
