import fc from 'fast-check';
import { parseSafeXml, UnsafeXmlError } from '@bridge/adapter-soap';

/** Characters XML 1.0 allows in text (minus CR, which parsers normalise to LF). */
const xmlChar = fc
  .string({ unit: 'binary', maxLength: 40 })
  .map((s) => s.replace(/[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]/g, ''));

const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,8}$/);

type Tree = string | { [element: string]: Tree };

/** An element tree: a leaf is trimmed text, an inner element has children of distinct names. */
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlChar.map((s) => s.trim()),
    fc.dictionary(name, tie('node'), { minKeys: 1, maxKeys: 4 }),
  ),
})).node;

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function serialize(element: string, node: Tree): string {
  if (typeof node === 'string') return `<${element}>${escapeText(node)}</${element}>`;
  const children = Object.entries(node)
    .map(([child, value]) => serialize(child, value))
    .join('');
  return `<${element}>${children}</${element}>`;
}

/** Anything the reader does with `input` must be a result or an UnsafeXmlError naming the rule. */
function readsOrRefuses(input: string | Uint8Array): boolean {
  try {
    const result = parseSafeXml(input);
    return typeof result === 'object' && result !== null;
  } catch (error) {
    if (!(error instanceof UnsafeXmlError)) throw error;
    return error.message.length > 0;
  }
}

describe('parseSafeXml properties', () => {
  it('reads or refuses any string, never throwing anything but UnsafeXmlError', () => {
    const markupish = fc
      .array(
        fc.constantFrom(
          '<',
          '>',
          '/',
          '!',
          '?',
          '"',
          "'",
          '&',
          ';',
          '[',
          ']',
          '-',
          'a',
          'DOCTYPE',
          'ENTITY',
          '<![CDATA[',
          ']]>',
          '<!--',
          '-->',
          ' ',
          'xmlns:x="u"',
          '&#x0;',
          '&#99999999;',
        ),
        {
          maxLength: 60,
        },
      )
      .map((parts) => parts.join(''));
    fc.assert(fc.property(fc.oneof(fc.string(), markupish), readsOrRefuses), { numRuns: 2_000 });
  });

  it('reads or refuses any bytes, never throwing anything but UnsafeXmlError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), readsOrRefuses), { numRuns: 2_000 });
  });

  it('round-trips any well-formed element tree', () => {
    fc.assert(
      fc.property(name, tree, (root, content) => {
        const xml = `<?xml version="1.0" encoding="utf-8"?>\n${serialize(root, content)}`;
        expect(parseSafeXml(xml, { maxDepth: 64 })).toEqual({ [root]: content });
        expect(parseSafeXml(Buffer.from(xml, 'utf8'))).toEqual({ [root]: content });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses any tree once a DOCTYPE is put in front of it, naming the rule', () => {
    fc.assert(
      fc.property(name, tree, fc.string({ maxLength: 30 }), (root, content, subset) => {
        const xml = `<!DOCTYPE ${root} [${subset.replace(/[\]>]/g, '')}]>${serialize(root, content)}`;
        expect(() => parseSafeXml(xml)).toThrow(expect.objectContaining({ reason: 'doctype' }) as Error);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses nesting deeper than the limit, however deep', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 20_000 }), (limit, depth) => {
        const xml = `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;
        if (depth <= limit) expect(parseSafeXml(xml, { maxDepth: limit })).toHaveProperty('a');
        else expect(() => parseSafeXml(xml, { maxDepth: limit })).toThrow(/nested deeper than the limit/);
      }),
      { numRuns: 300 },
    );
  });
});
