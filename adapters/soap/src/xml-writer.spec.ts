import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { writeXml, writeXmlFast, writeXmlWithBuilder } from './xml-writer';

/** Text with everything the builder escapes, markup look-alikes and non-ASCII. */
const text = fc.oneof(
  fc.string(),
  fc.constantFrom('', 'true', 'a & b', '<x>', 'it\'s "q"', ']]>', '&amp;', 'Đà Nẵng', '</Body><Evil/>'),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(-0));
const name = fc.oneof(
  fc.constantFrom('HoSo', 'tns:NopHoSo', 'a.b', 'x-y', '_z', 'soap:Body'),
  fc.stringMatching(/^[A-Za-z_][\w.-]{0,6}$/),
);
/** Keys the fast writer leaves to the builder, so those paths are compared too. */
const oddKey = fc.constantFrom('@_', '?xml', '1', 'a b', '@_a b', '#text', '__proto__', 'Tên');

const { tree } = fc.letrec((tie) => ({
  tree: fc.dictionary(
    fc.oneof(
      { weight: 6, arbitrary: name },
      { weight: 3, arbitrary: name.map((n) => `@_${n}`) },
      { weight: 1, arbitrary: fc.constant('#text') },
      { weight: 1, arbitrary: oddKey },
    ),
    tie('value'),
    { maxKeys: 5 },
  ),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: scalar },
    { weight: 1, arbitrary: fc.constantFrom(null, undefined) },
    { weight: 3, arbitrary: tie('tree') },
    {
      weight: 2,
      arbitrary: fc.array(fc.oneof(scalar, tie('tree'), fc.constant(null), fc.constant(undefined)), {
        maxLength: 3,
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom(new Date(0), [[1, 2]], 10n) },
  ),
}));

/** What a writer gives: its text, or the error it throws (the builder throws on some shapes). */
function outcome(write: () => string): string {
  try {
    return write();
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

describe('writeXml', () => {
  it('writes every tree exactly as the fast-xml-parser builder does', () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(outcome(() => writeXml(t))).toBe(outcome(() => writeXmlWithBuilder(t)));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes plain trees itself, hostile text escaped as the builder escapes it', () => {
    const t = {
      'soap:Envelope': {
        '@_xmlns:soap': 'urn:"x"',
        '@_flag': 'true',
        'soap:Body': {
          Note: { '@_lang': "v'i", '#text': 'a</Note><Injected>&' },
          Items: [{ Name: '<b>' }, 'x', 2, -0, false, ''],
          Nil: null,
          Empty: {},
        },
      },
    };
    const fast = writeXmlFast(t);
    expect(fast).not.toBeNull();
    expect(fast).toBe(writeXmlWithBuilder(t));
    expect(fast).toContain('<Note lang="v&apos;i">a&lt;/Note&gt;&lt;Injected&gt;&amp;</Note>');
    expect(fast).not.toContain('<Injected>');
  });

  it('writes an attribute whose value is true with its value, so the envelope is well-formed XML', () => {
    for (const flag of ['true', true]) {
      const t = { Envelope: { '@_mustUnderstand': flag, Body: { '@_x': true, '#text': 'a' } } };
      for (const xml of [writeXml(t), writeXmlWithBuilder(t)]) {
        expect(xml).toBe('<Envelope mustUnderstand="true"><Body x="true">a</Body></Envelope>');
        expect(XMLValidator.validate(xml)).toBe(true);
      }
    }
  });

  it('leaves shapes outside its subset to the builder', () => {
    const deep: Record<string, unknown> = {};
    let node = deep;
    for (let i = 0; i < 60; i++) node = node.a = {};
    for (const t of [
      { a: new Date(0) },
      { a: [[1]] },
      { a: [1, null] },
      { '?xml': 'x' },
      { 'a b': 1 },
      deep,
    ]) {
      expect(writeXmlFast(t)).toBeNull();
      expect(writeXml(t)).toBe(writeXmlWithBuilder(t));
    }
  });
});
