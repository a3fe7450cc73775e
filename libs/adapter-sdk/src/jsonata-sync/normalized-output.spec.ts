import fc from 'fast-check';
import { normalizeDeep } from '@bridge/domain';
import { createSequence } from './jsonata-values';
import { normalizedOutput } from './normalized-output';

const NFD = 'Đà Nẵng'.normalize('NFD');

describe('normalizedOutput', () => {
  it('hands an output already in NFC on as it is, equal to normalizeDeep’s copy', () => {
    const output = {
      HoSo: {
        HoTen: 'Nguyễn Thị Hoà',
        SoLuong: 2,
        Co: true,
        Khong: null,
        TaiLieu: [{ Ten: 'Tờ khai' }, 'x'],
      },
      at: new Date(0),
    };
    expect(normalizedOutput(output)).toBe(output);
    expect(normalizedOutput(output)).toStrictEqual(normalizeDeep(output));
  });

  it.each<[string, () => unknown]>([
    ['a decomposed string', () => ({ a: [{ b: NFD }] })],
    ['a decomposed key', () => ({ [NFD]: 1 })],
    ['a sequence', () => ({ a: createSequence('x') })],
    ['a flagged array', () => ({ a: Object.assign(['x'], { keepSingleton: true }) })],
    ['an array with a hole', () => ({ a: [1, , 3] })],
    ['an object without prototype', () => ({ a: Object.assign(Object.create(null), { b: 'c' }) })],
    ['a symbol key', () => ({ a: { [Symbol('s')]: 1, b: 2 } })],
    ['an own __proto__ key', () => JSON.parse('{"a":{"__proto__":{"b":1}}}')],
    [
      'a cycle',
      () => {
        const a: Record<string, unknown> = { name: 'x' };
        a.self = a;
        return { a };
      },
    ],
    [
      'nesting past the depth it checks',
      () => {
        const root: Record<string, unknown> = {};
        let node = root;
        for (let i = 0; i < 100; i++) node = node.a = {};
        return root;
      },
    ],
  ])('copies %s through normalizeDeep', (_what, make) => {
    const output = make();
    const result = normalizedOutput(output);
    expect(result).not.toBe(output);
    expect(result).toStrictEqual(normalizeDeep(make()));
  });

  it('gives what normalizeDeep gives for any JSON value with or without decomposed text', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom(NFD, 'Nẵng', '\u1ea1\u0302', 'e\u0301'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(text, tie('value'), { maxKeys: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(normalizedOutput(value)).toStrictEqual(normalizeDeep(value));
      }),
      { numRuns: 2000 },
    );
  });
});
