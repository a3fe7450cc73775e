import fc from 'fast-check';
import { computeS10CheckDigit, isValidS10, parseItemId, parseS10 } from './s10';

describe('UPU S10 item ids', () => {
  it('accepts EC136431858VN and exposes its parts', () => {
    expect(parseS10('EC136431858VN')).toEqual({
      ok: true,
      value: 'EC136431858VN',
      normalized: false,
      serviceIndicator: 'EC',
      serial: '13643185',
      checkDigit: '8',
      country: 'VN',
    });
  });

  it('refuses EB123456789VN, saying the check digit should be 5', () => {
    const result = parseS10('EB123456789VN');
    expect(result).toEqual({ ok: false, error: 'check digit of EB12345678?VN should be 5, got 9' });
    expect(isValidS10('EB123456785VN')).toBe(true);
  });

  it('maps the special cases 10 → 0 and 11 → 5', () => {
    expect(computeS10CheckDigit('00000000')).toBe(5); // sum 0: 11 − 0 = 11 → 5
    expect(computeS10CheckDigit('00060000')).toBe(0); // sum 12: 11 − 1 = 10 → 0
    expect(computeS10CheckDigit('00000001')).toBe(4); // sum 7: 11 − 7 = 4
  });

  it('names the expected shape when the input is not S10 at all', () => {
    const result = parseS10('123');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/2 letters, 8 serial digits, a check digit/);
  });

  it('refuses a serial that is not 8 digits when computing a check digit', () => {
    expect(() => computeS10CheckDigit('1234567')).toThrow(RangeError);
  });

  it('normalises lower case, spaces and full-width characters, and says so', () => {
    expect(parseS10('  ec136431858vn ')).toMatchObject({
      ok: true,
      value: 'EC136431858VN',
      normalized: true,
    });
    expect(parseS10('ＥＣ１３６４３１８５８ＶＮ')).toMatchObject({
      ok: true,
      value: 'EC136431858VN',
      normalized: true,
    });
  });
});

describe('parseItemId', () => {
  it('refuses a domestic code unless non-S10 codes are allowed, and then flags it', () => {
    expect(parseItemId('VNP-2025-0001234', { allowNonS10: false }).ok).toBe(false);
    expect(parseItemId('VNP-2025-0001234', { allowNonS10: true })).toEqual({
      ok: true,
      value: 'VNP-2025-0001234',
      normalized: false,
      flagged: 'not-s10',
    });
  });

  it('still refuses an S10-shaped id with a wrong check digit when non-S10 codes are allowed', () => {
    const result = parseItemId('EB123456789VN', { allowNonS10: true });
    expect(result).toEqual({ ok: false, error: 'check digit of EB12345678?VN should be 5, got 9' });
  });

  it('does not flag a valid S10 id', () => {
    const result = parseItemId('EC136431858VN', { allowNonS10: true });
    expect(result).toMatchObject({ ok: true, value: 'EC136431858VN' });
    expect(result).not.toHaveProperty('flagged');
  });

  it('refuses garbage even when non-S10 codes are allowed', () => {
    const result = parseItemId('a b', { allowNonS10: true });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/neither UPU S10 nor a domestic code/);
  });
});

describe('S10 properties', () => {
  const serial = fc.stringMatching(/^\d{8}$/);
  const letters = fc.stringMatching(/^[A-Z]{2}$/);

  it('any 8-digit serial with its computed check digit validates', () => {
    fc.assert(
      fc.property(letters, serial, letters, (service, digits, country) => {
        expect(isValidS10(`${service}${digits}${computeS10CheckDigit(digits)}${country}`)).toBe(true);
      }),
    );
  });

  it('a change of the check digit is always caught', () => {
    fc.assert(
      fc.property(serial, fc.integer({ min: 1, max: 9 }), (digits, delta) => {
        const check = (computeS10CheckDigit(digits) + delta) % 10;
        expect(isValidS10(`EE${digits}${check}VN`)).toBe(false);
      }),
    );
  });

  // Remainders 0 and 6 both give check digit 5 (11 → 5, and 11 − 6 = 5), so the scheme cannot
  // catch a serial change that moves the sum between them — e.g. 00000000 and 00030000.
  it('the one blind spot: serials whose sums differ by 6 (mod 11) around remainder 0 share check digit 5', () => {
    expect(isValidS10('EE000000005VN')).toBe(true);
    expect(isValidS10('EE000300005VN')).toBe(true);
  });

  it('changing any single serial digit is caught, except inside that blind spot', () => {
    fc.assert(
      fc.property(
        serial,
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        (digits, position, delta) => {
          const changed = String((Number(digits[position]) + delta) % 10);
          const mutated = digits.slice(0, position) + changed + digits.slice(position + 1);
          const check = computeS10CheckDigit(digits);
          const blindSpot = check === 5 && computeS10CheckDigit(mutated) === 5;
          expect(isValidS10(`EE${mutated}${check}VN`)).toBe(blindSpot);
        },
      ),
    );
  });
});
