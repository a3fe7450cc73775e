import fc from 'fast-check';
import { parseVendorDate } from '@bridge/adapter-sdk';
import { createVendorDateParser } from './vendor-date-parser';

describe('createVendorDateParser', () => {
  const vietnam = { format: 'dd/MM/yyyy HH:mm', zone: 'Asia/Ho_Chi_Minh' };

  it('parses vendor C dates into ISO 8601 with the Vietnam offset', () => {
    expect(createVendorDateParser(vietnam)('22/09/2025 09:05')).toBe('2025-09-22T09:05:00+07:00');
    expect(
      createVendorDateParser({ format: 'yyyyMMddHHmmss', zone: 'Asia/Ho_Chi_Minh' })('20250922090512'),
    ).toBe('2025-09-22T09:05:12+07:00');
  });

  it('refuses impossible dates with the same message as Luxon', () => {
    const parse = createVendorDateParser(vietnam);
    for (const bad of ['31/09/2025 08:00', '29/02/2025 08:00', '22/09/2025 25:61', '2025-09-22', '']) {
      expect(() => parse(bad)).toThrow(`date "${bad}" does not match the agency's format dd/MM/yyyy HH:mm`);
    }
    expect(parse('29/02/2024 08:00')).toBe('2024-02-29T08:00:00+07:00');
  });

  it('agrees with Luxon everywhere, including across a DST change', () => {
    const zones = ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
        (zone, date) => {
          const dates = { format: 'dd/MM/yyyy HH:mm', zone };
          const p = (n: number) => String(n).padStart(2, '0');
          const text = `${p(date.getUTCDate())}/${p(date.getUTCMonth() + 1)}/${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}`;
          expect(createVendorDateParser(dates)(text)).toBe(parseVendorDate(text, dates));
        },
      ),
      { numRuns: 500 },
    );
    const berlin = { format: 'dd/MM/yyyy HH:mm', zone: 'Europe/Berlin' };
    expect(createVendorDateParser(berlin)('30/03/2025 02:30')).toBe(
      parseVendorDate('30/03/2025 02:30', berlin),
    );
  });
});
