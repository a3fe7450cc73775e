import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseSafeXml, safeParserOptions } from './safe-xml-reader';
import { UnsafeXmlError, UnsafeXmlReason } from './unsafe-xml-error';

function refusal(input: Buffer | string, limits = {}): { reason: UnsafeXmlReason; message: string } {
  try {
    parseSafeXml(input, limits);
  } catch (error) {
    if (error instanceof UnsafeXmlError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('the document was accepted');
}

const nested = (depth: number) => `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;

describe('parseSafeXml', () => {
  it('reads the recorded answers as the parser does when it writes out element paths (jPath)', () => {
    const dir = join(__dirname, '..', 'fixtures', 'responses');
    const answers = readdirSync(dir).filter((name) => name.endsWith('.xml'));
    expect(answers.length).toBeGreaterThan(0);
    for (const keep of [false, true]) {
      const withPaths = new XMLParser({ ...safeParserOptions(64, keep), jPath: true });
      for (const name of answers) {
        const xml = readFileSync(join(dir, name), 'utf8');
        expect(parseSafeXml(xml, {}, { keepNamespacePrefixes: keep })).toEqual(withPaths.parse(xml));
      }
    }
    expect(refusal('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>').reason).toBe(
      'doctype',
    );
  });

  it('keeps codes and dates as text and decodes predefined entities and character references', () => {
    const doc = parseSafeXml(
      '<HoSo><MaHoSo>0099</MaHoSo><Ngay>20250101080000</Ngay><T>A &amp; B &#272;&#xE0; &lt;3</T></HoSo>',
    );
    expect(doc).toEqual({ HoSo: { MaHoSo: '0099', Ngay: '20250101080000', T: 'A & B Đà <3' } });
  });

  it('drops namespace prefixes by default and keeps them on request', () => {
    const xml =
      '<s:Envelope xmlns:s="urn:s"><s:Body><x:A xmlns:x="urn:x" x:k="v">1</x:A></s:Body></s:Envelope>';
    expect(parseSafeXml(xml)).toEqual({ Envelope: { Body: { A: { '#text': '1', '@_k': 'v' } } } });
    expect(parseSafeXml(xml, {}, { keepNamespacePrefixes: true })).toMatchObject({
      's:Envelope': { 's:Body': { 'x:A': { '@_x:k': 'v' } } },
    });
  });

  it('reads UTF-8 bytes with a BOM and Vietnamese text', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<T>Đà Nẵng</T>', 'utf8')]);
    expect(parseSafeXml(bytes)).toEqual({ T: 'Đà Nẵng' });
  });

  it.each([
    ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>', 'doctype'],
    ['an external entity', '<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>', 'doctype'],
    ['an ENTITY declaration', '<!ENTITY x "y"><r/>', 'doctype'],
    ['a truncated document', '<Envelope><Body><A>1</A></Body>', 'malformed'],
    ['a document cut inside a tag', '<Envelope><Body><A x="1', 'malformed'],
    ['mismatched tags', '<a><b>1</c></a>', 'malformed'],
    ['two roots', '<a/><b/>', 'malformed'],
    ['text that is not XML', 'Service Unavailable', 'malformed'],
    ['an empty body', '  \n ', 'empty'],
    ['a foreign encoding', '<?xml version="1.0" encoding="windows-1258"?><a/>', 'encoding'],
  ])('refuses %s', (_name, xml, reason) => {
    expect(refusal(xml).reason).toBe(reason);
  });

  it('refuses documents deeper than the limit and accepts them at the limit', () => {
    expect(parseSafeXml(nested(64))).toBeDefined();
    expect(refusal(nested(65))).toEqual({ reason: 'too-deep', message: expect.stringContaining('64') });
    expect(refusal(nested(9), { maxDepth: 8 }).reason).toBe('too-deep');
    expect(refusal(`<r>${'<e/>'.repeat(3)}${nested(100)}</r>`).reason).toBe('too-deep');
  });

  it('refuses documents bigger than the limit, counting bytes not characters', () => {
    const text = `<T>${'Đ'.repeat(600)}</T>`;
    expect(parseSafeXml(text, { maxBytes: 1300 })).toBeDefined();
    expect(refusal(text, { maxBytes: 1100 })).toEqual({
      reason: 'too-big',
      message: expect.stringContaining('1100'),
    });
    expect(refusal('<a/>'.padEnd(2 * 1024 * 1024 + 1, ' ')).reason).toBe('too-big');
  });

  it('refuses invalid UTF-8 (Windows-1258 bytes sent as UTF-8)', () => {
    const bytes = Buffer.from([0x3c, 0x54, 0x3e, 0xd0, 0xe0, 0x3c, 0x2f, 0x54, 0x3e]);
    expect(refusal(bytes).reason).toBe('invalid-utf8');
  });

  it('reads quoted ">" in attributes, comments and CDATA without losing structure', () => {
    const doc = parseSafeXml('<!-- <x> --><r a="1>0"><![CDATA[<not-a-tag>]]></r>');
    expect(doc.r).toMatchObject({ '@_a': '1>0' });
  });
});
