import { DateTime } from 'luxon';
import { DateSettings, parseVendorDate } from '@bridge/adapter-sdk';

/** Parses one vendor date into ISO 8601 with offset; throws PERMANENT when it does not match. */
export type VendorDateParser = (text: string) => string;

const FIELD_TOKENS: Record<string, string> = {
  yyyy: 'year',
  MM: 'month',
  dd: 'day',
  HH: 'hour',
  mm: 'minute',
  ss: 'second',
};

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A date parser for large status files. Luxon's `fromFormat` costs tens of microseconds a
 * call, too slow for 100,000 rows, so fixed-width numeric formats (`dd/MM/yyyy HH:mm`,
 * `yyyyMMddHHmmss`...) are parsed with one regular expression and the zone's offset is looked
 * up once per hour (checked at both ends of the hour, so DST changes fall back to Luxon).
 * Any other format goes through `parseVendorDate` unchanged; so does every text the fast path
 * refuses, so error messages stay the same.
 */
export function createVendorDateParser(dates: DateSettings): VendorDateParser {
  const slow = (text: string) => parseVendorDate(text, dates);
  const parts = dates.format.match(/yyyy|MM|dd|HH|mm|ss|[A-Za-z]+|[^A-Za-z]+/g) ?? [];
  const fields: string[] = [];
  let pattern = '^';
  for (const part of parts) {
    if (FIELD_TOKENS[part]) {
      fields.push(FIELD_TOKENS[part]);
      pattern += part === 'yyyy' ? '(\\d{4})' : '(\\d{2})';
    } else if (/^[A-Za-z]/.test(part) || dates.format === 'iso') {
      return slow;
    } else {
      pattern += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  if (!fields.includes('year') || !fields.includes('month') || !fields.includes('day')) return slow;
  const regex = new RegExp(`${pattern}$`);
  const offsets = new Map<string, string | null>();

  const offsetOf = (y: string, mo: string, d: string, h: string): string | null => {
    const key = `${y}${mo}${d}${h}`;
    let offset = offsets.get(key);
    if (offset === undefined) {
      const start = DateTime.fromObject({ year: +y, month: +mo, day: +d, hour: +h }, { zone: dates.zone });
      const end = start.plus({ minutes: 59, seconds: 59 });
      const iso = start.toISO({ suppressMilliseconds: true });
      offset =
        start.isValid && iso && start.offset === end.offset && start.hour === +h ? iso.slice(19) : null;
      offsets.set(key, offset);
    }
    return offset;
  };

  return (text) => {
    const match = regex.exec(text.trim());
    if (!match) return slow(text);
    const value: Record<string, string> = { hour: '00', minute: '00', second: '00' };
    fields.forEach((field, i) => (value[field] = match[i + 1]));
    const [y, mo, d, h, mi, s] = [value.year, value.month, value.day, value.hour, value.minute, value.second];
    const valid =
      +mo >= 1 && +mo <= 12 && +d >= 1 && +d <= daysIn(+y, +mo) && +h <= 23 && +mi <= 59 && +s <= 59;
    const offset = valid ? offsetOf(y, mo, d, h) : null;
    return offset ? `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}` : slow(text);
  };
}
