import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentAdapterLogger } from '@bridge/adapter-sdk';
import { soapAdapterFactory } from './index';
import { parseSafeXml } from './safe-xml-reader';
import { SoapDialect } from './soap-dialect';
import { readEnvelope, SoapEnvelopeBuilder } from './soap-envelope';
import { SoapAdapterOptions } from './soap-options';
import { recordingContext, SOAP_FIXTURES, soapFixture, specFromAgencyFile } from './soap-test-kit';

/**
 * Recorded vendor A payloads through the example agency file's mappings. The expected files
 * beside each fixture are the reviewed output; `UPDATE_GOLDEN=1` rewrites them, so a mapping
 * change shows up as a diff to review.
 */
const spec = specFromAgencyFile('agency.example.yaml');
const dialect = new SoapDialect('000.00.53.H48', spec);
const options = spec.options as unknown as SoapAdapterOptions;

function matchesGolden(expectedFile: string, actual: unknown): void {
  const path = join(SOAP_FIXTURES, expectedFile);
  const text = typeof actual === 'string' ? actual : `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  const expected = soapFixture(expectedFile);
  if (typeof actual === 'string') expect(actual).toBe(expected);
  else expect(JSON.parse(JSON.stringify(actual))).toEqual(JSON.parse(expected));
}

const bodyOf = (fixture: string) => readEnvelope(parseSafeXml(soapFixture(fixture))).body;
const submission = (fixture: string) => JSON.parse(soapFixture(fixture));

describe('vendor A mappings against recorded payloads', () => {
  it.each([['requests/nop-ho-so'], ['requests/nop-ho-so-to-chuc']])(
    '%s: dossier → NopHoSo request',
    async (name) => {
      matchesGolden(
        `${name}.expected.json`,
        await dialect.submitRequest(submission(`${name}.submission.json`)),
      );
    },
  );

  it('wraps the NopHoSo request in a SOAP 1.1 envelope in vendor A namespace', async () => {
    const builder = new SoapEnvelopeBuilder({ version: '1.1', namespace: options.namespace });
    const request = await dialect.submitRequest(submission('requests/nop-ho-so.submission.json'));
    matchesGolden('requests/nop-ho-so.expected.xml', `${builder.build('NopHoSo', request)}\n`);
  });

  it('reads the NopHoSo receipt: dossier code, Vietnam-time dates, status', async () => {
    matchesGolden(
      'responses/nop-ho-so.expected.json',
      await dialect.readReceipt(bodyOf('responses/nop-ho-so.xml')),
    );
  });

  it('reads TraCuuHoSo: found gives a receipt, TimThay 0 gives null', async () => {
    matchesGolden(
      'responses/tra-cuu-ho-so.found.expected.json',
      await dialect.readLookup(bodyOf('responses/tra-cuu-ho-so.found.xml')),
    );
    expect(await dialect.readLookup(bodyOf('responses/tra-cuu-ho-so.not-found.xml'))).toBeNull();
  });

  it('reads LayDanhSachThayDoi: changes, the next cursor, and an unknown status set aside', async () => {
    const page = await dialect.readPollPage(
      bodyOf('responses/lay-danh-sach-thay-doi.xml'),
      'LayDanhSachThayDoi',
    );
    matchesGolden('responses/lay-danh-sach-thay-doi.expected.json', page);
    expect(page.rejected[0].reason).toContain('"99"');
  });

  it('reads a CapNhatTrangThai push into a status change', async () => {
    const plain = { ...spec, options: { ...spec.options, callbackUsernameToken: false } };
    const adapter = soapAdapterFactory.create(
      { code: '000.00.53.H48', name: 'UBND phường Hải Châu' },
      plain,
      {
        logger: silentAdapterLogger,
      },
    );
    const rawBody = Buffer.from(soapFixture('callbacks/cap-nhat-trang-thai.xml'));
    const changes = await adapter.parseCallback(
      { headers: {}, rawBody, contentType: 'text/xml' },
      recordingContext(),
    );
    matchesGolden('callbacks/cap-nhat-trang-thai.expected.json', changes);
  });
});
