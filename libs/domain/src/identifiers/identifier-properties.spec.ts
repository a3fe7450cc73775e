import fc from 'fast-check';
import { parseAgencyCode } from './agency-code';
import { parseCitizenId } from './citizen-id';
import { IdentifierResult } from './identifier-result';
import { parseProcedureCode } from './procedure-code';
import { computeS10CheckDigit, parseS10 } from './s10';
import { computeTaxCodeCheckDigit, isValidTaxCode, parseTaxCode } from './tax-code';

/** Full-width forms (U+FF01–U+FF5E) of printable ASCII: what some IMEs type. */
const toFullWidth = (s: string): string =>
  [...s].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const validS10 = fc
  .tuple(fc.stringMatching(/^[A-Z]{2}$/), digits(8), fc.stringMatching(/^[A-Z]{2}$/))
  .map(([service, serial, country]) => `${service}${serial}${computeS10CheckDigit(serial)}${country}`);
const validTaxCode = digits(9)
  .filter((prefix) => prefix.slice(2) !== '0000000' && computeTaxCodeCheckDigit(prefix) !== null)
  .map((prefix) => `${prefix}${computeTaxCodeCheckDigit(prefix)}`);
const validAgencyCode = fc
  .tuple(digits(3), digits(2), digits(2), fc.stringMatching(/^[A-Z]$/), digits(2))
  .map(([v, z, y, m, x]) => `${v}.${z}.${y}.${m}${x}`);
const validProcedureCode = fc
  .tuple(digits(1), digits(6), fc.option(validAgencyCode, { nil: undefined }))
  .map(([a, b, agency]) => (agency ? `${a}.${b}.${agency}` : `${a}.${b}`));

const padding = fc.stringMatching(/^[ \t\n\u3000]{0,3}$/);
const variant = (valid: string, pad1: string, pad2: string, fullWidth: boolean): string =>
  pad1 + (fullWidth ? toFullWidth(valid) : valid) + pad2;

const cases: [string, fc.Arbitrary<string>, (input: string) => IdentifierResult][] = [
  ['S10 item id', validS10, parseS10],
  ['tax code', validTaxCode, parseTaxCode],
  ['citizen id', digits(12), parseCitizenId],
  ['agency code', validAgencyCode, parseAgencyCode],
  ['procedure code', validProcedureCode, parseProcedureCode],
];

describe.each(cases)('%s', (_name, valid, parse) => {
  it('trimmed and full-width variants of a valid id parse to the same canonical value', () => {
    fc.assert(
      fc.property(valid, padding, padding, fc.boolean(), (id, pad1, pad2, fullWidth) => {
        const canonical = parse(id);
        const other = parse(variant(id, pad1, pad2, fullWidth));
        expect(canonical.ok).toBe(true);
        expect(other.ok).toBe(true);
        expect(other.ok && canonical.ok && other.value === canonical.value).toBe(true);
        expect(other.ok && other.normalized).toBe(pad1 !== '' || pad2 !== '' || fullWidth);
      }),
    );
  });
});

describe('tax code properties', () => {
  it('any issuable nine-digit prefix with its computed check digit validates, with and without a branch', () => {
    fc.assert(
      fc.property(validTaxCode, fc.integer({ min: 1, max: 999 }), (code, branch) => {
        expect(isValidTaxCode(code)).toBe(true);
        expect(isValidTaxCode(`${code}-${String(branch).padStart(3, '0')}`)).toBe(true);
      }),
    );
  });

  it('changing the check digit of a valid code makes it invalid', () => {
    fc.assert(
      fc.property(validTaxCode, fc.integer({ min: 1, max: 9 }), (code, delta) => {
        const wrong = String((Number(code[9]) + delta) % 10);
        expect(isValidTaxCode(code.slice(0, 9) + wrong)).toBe(false);
      }),
    );
  });
});
