import { isValidCitizenId, parseCitizenId } from './citizen-id';
import { maskCitizenId, maskPhone } from './privacy';
import { computeTaxCodeCheckDigit, isValidTaxCode, parseTaxCode } from './tax-code';

describe('parseCitizenId', () => {
  it('reads province, century/sex and year of birth', () => {
    expect(parseCitizenId('048089012345')).toEqual({
      ok: true,
      value: '048089012345',
      normalized: false,
      provinceCode: '048',
      centurySexDigit: 0,
      sex: 'male',
      birthYearDigits: '89',
      birthYear: 1989,
    });
    expect(parseCitizenId('001305000001')).toMatchObject({ sex: 'female', birthYear: 2005 });
  });

  it('refuses anything but 12 digits', () => {
    for (const bad of ['04808901234', '0480890123456', '04808901234A', '048 089 012 345']) {
      expect(parseCitizenId(bad)).toEqual({
        ok: false,
        error: `citizen id number must be exactly 12 digits, got "${bad}"`,
      });
    }
    expect(isValidCitizenId('048089012345')).toBe(true);
  });
});

describe('parseTaxCode', () => {
  it('accepts a 10-digit enterprise code with a correct check digit', () => {
    expect(parseTaxCode('0100233488')).toEqual({
      ok: true,
      value: '0100233488',
      normalized: false,
      kind: 'enterprise',
      enterpriseCode: '0100233488',
    });
  });

  it('refuses a wrong check digit, naming the expected one', () => {
    expect(parseTaxCode('0100233480')).toEqual({
      ok: false,
      error: 'check digit of tax code 010023348? should be 8, got 0',
    });
  });

  it('accepts a branch with or without the dash and canonicalises to XXXXXXXXXX-NNN', () => {
    const expected = {
      ok: true,
      value: '0100233488-002',
      kind: 'branch',
      enterpriseCode: '0100233488',
      branch: '002',
    };
    expect(parseTaxCode('0100233488-002')).toMatchObject(expected);
    expect(parseTaxCode('0100233488002')).toMatchObject(expected);
    expect(parseTaxCode('0100233488-000').ok).toBe(false);
    expect(parseTaxCode('0100233480-002').ok).toBe(false);
  });

  it('accepts a 12-digit citizen id as a personal tax code', () => {
    expect(parseTaxCode('048089012345')).toMatchObject({ ok: true, value: '048089012345', kind: 'personal' });
  });

  it('refuses prefixes whose check would be 10, and the never-issued serial 0000000', () => {
    // 100000000: sum 31, 31 mod 11 = 9, check 10 − 9 = 1
    expect(computeTaxCodeCheckDigit('100000000')).toBe(1);
    // 100001000: sum 1·31 + 1·13 = 44 ≡ 0 (mod 11), check 10 − 0 = 10: not a digit
    expect(computeTaxCodeCheckDigit('100001000')).toBeNull();
    const result = parseTaxCode('1000010000');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('the check rule gives 10');
    expect(parseTaxCode('0100000000')).toMatchObject({
      ok: false,
      error: expect.stringContaining('0000000'),
    });
  });

  it('refuses other shapes, listing the accepted forms', () => {
    const result = parseTaxCode('12345');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain('10 digits, 13 digits for a branch');
    expect(isValidTaxCode('0100233488')).toBe(true);
  });
});

describe('masks for logs', () => {
  it('keeps only the first four digits of a citizen id', () => {
    expect(maskCitizenId('001089012345')).toBe('0010********');
    expect(maskCitizenId('12345')).toBe('*****');
    expect(maskCitizenId(undefined)).toBe('');
  });

  it('keeps the first two and last two digits of a phone number', () => {
    expect(maskPhone('0912345689')).toBe('09******89');
    expect(maskPhone('+84 912 345 689')).toBe('+84*******89');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone(null)).toBe('');
  });
});
