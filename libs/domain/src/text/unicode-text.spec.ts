import fc from 'fast-check';
import { nfc, normalizeDeep } from './unicode-text';

const DA_NANG_NFD = 'Đà Nẵng'.normalize('NFD');

describe('nfc', () => {
  it('turns the decomposed spelling of "Đà Nẵng" (10 code points) into the composed one (7)', () => {
    expect([...DA_NANG_NFD]).toHaveLength(10);
    const composed = nfc(DA_NANG_NFD);
    expect([...composed]).toHaveLength(7);
    expect(composed).toBe('Đà Nẵng'.normalize('NFC'));
    expect(composed === DA_NANG_NFD).toBe(false);
  });

  it('leaves text that is already NFC unchanged', () => {
    expect(nfc('Phường Hải Châu')).toBe('Phường Hải Châu');
  });

  it('gives what String.prototype.normalize gives for any text, combining marks included', () => {
    const marks = fc.constantFrom(
      'e',
      'o',
      'D',
      '\u02ff',
      '\u0300',
      '\u0301',
      '\u0303',
      '\u0309',
      '\u0323',
      'ơ',
      'Đ',
      '\u1ea1',
      '\u1ec5',
      '\u1100',
      '\u1161',
      '\u2126',
      '\u212b',
      '\u0344',
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.oneof(marks, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
        (text) => {
          expect(nfc(text)).toBe(text.normalize('NFC'));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('nfc without ICU', () => {
  // Every code point the fast check passes, alone and next to any other of them.
  const fast = [...Array(0x300).keys(), ...Array.from({ length: 0x100 }, (_, i) => 0x1e00 + i)].map((c) =>
    String.fromCharCode(c),
  );

  it('passes only characters that are their own NFC form and compose with no neighbour among them', () => {
    for (const a of fast) {
      expect(a.normalize('NFC')).toBe(a);
      for (const b of fast) if ((a + b).normalize('NFC') !== a + b) throw new Error(`${a}${b} composes`);
    }
  });

  it('still normalises a precomposed letter followed by a combining mark (ạ + ̂ → ậ)', () => {
    expect(nfc('\u1ea1\u0302')).toBe('\u1ead');
    expect(nfc('Nẵng'.normalize('NFD'))).toBe('Nẵng'.normalize('NFC'));
  });
});

describe('normalizeDeep', () => {
  it('normalises every string of nested objects and arrays, keys included', () => {
    const nfdKey = 'Tỉnh'.normalize('NFD');
    const input = {
      applicant: { fullName: 'Nguyễn Văn Ánh'.normalize('NFD'), age: 40 },
      documents: [{ name: 'Giấy tờ'.normalize('NFD') }, DA_NANG_NFD],
      [nfdKey]: DA_NANG_NFD,
      missing: null,
      flag: true,
    };
    const output = normalizeDeep(input);
    expect(output.applicant.fullName).toBe('Nguyễn Văn Ánh'.normalize('NFC'));
    expect(output.applicant.age).toBe(40);
    expect(output.documents).toEqual([{ name: 'Giấy tờ'.normalize('NFC') }, 'Đà Nẵng'.normalize('NFC')]);
    expect(Object.keys(output)).toContain('Tỉnh'.normalize('NFC'));
    expect(output.missing).toBeNull();
    expect(output.flag).toBe(true);
  });

  it('does not modify its input', () => {
    const input = { name: DA_NANG_NFD };
    normalizeDeep(input);
    expect(input.name).toBe(DA_NANG_NFD);
  });

  it('keeps dates and other class instances as they are', () => {
    const at = new Date('2025-07-01T00:00:00+07:00');
    const bytes = Buffer.from('abc');
    const output = normalizeDeep({ at, bytes });
    expect(output.at).toBe(at);
    expect(output.bytes).toBe(bytes);
  });

  it('copes with cyclic structures', () => {
    const node: Record<string, unknown> = { name: DA_NANG_NFD };
    node.self = node;
    const output = normalizeDeep(node);
    expect(output.self).toBe(output);
    expect(output.name).toBe(nfc(DA_NANG_NFD));
  });
});
