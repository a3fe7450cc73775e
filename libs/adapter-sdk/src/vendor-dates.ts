import { DateTime } from 'luxon';
import { DateSettings } from './adapter-spec';
import { IntegrationError } from './integration-error';
import { vendorFormatParser, vendorZone } from './vendor-zone';

/** Parses one vendor date into ISO 8601 with offset; throws PERMANENT when it does not match. */
export type VendorDateParser = (text: string) => string;

/** Bounds each cache; past it the cache starts over. */
const MAX_ENTRIES = 10_000;

const FIELD_TOKENS: Record<string, string> = {
  yyyy: 'year',
  MM: 'month',
  dd: 'day',
  HH: 'hour',
  mm: 'minute',
  ss: 'second',
};

/**
 * The parts of a fixed-width numeric format (`dd/MM/yyyy HH:mm`, `yyyyMMddHHmmss`...): field
 * tokens and literal text; null for any other format (letters, quoted text, `iso`).
 */
function numericParts(format: string): string[] | null {
  if (format === 'iso') return null;
  const parts = format.match(/yyyy|MM|dd|HH|mm|ss|[A-Za-z]+|[^A-Za-z]+/g) ?? [];
  if (parts.some((part) => !FIELD_TOKENS[part] && (/^[A-Za-z]/.test(part) || part.includes("'"))))
    return null;
  return parts;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseWithLuxon(text: unknown, dates: DateSettings, format: string): string {
  const trimmed = String(text).trim();
  const zone = vendorZone(dates.zone);
  const parsed =
    format === 'iso'
      ? DateTime.fromISO(trimmed, { zone, setZone: true })
      : DateTime.fromFormatParser(trimmed, vendorFormatParser(format), { zone });
  if (!parsed.isValid) {
    throw IntegrationError.permanent(`date "${trimmed}" does not match the agency's format ${format}`);
  }
  return parsed.toISO({ suppressMilliseconds: true });
}

/**
 * A date parser for one agency's format. Luxon's `fromFormat` costs microseconds a call, too
 * slow for large status files and every agency answer, so fixed-width numeric formats are read
 * with one regular expression and the zone's offset is looked up once per local hour (checked
 * at both ends of the hour, so hours with a DST change fall back to Luxon). Any other format
 * goes through Luxon unchanged; so does every text the fast path refuses, so error messages
 * stay the same.
 */
export function createVendorDateParser(dates: DateSettings): VendorDateParser {
  const slow = (text: unknown) => parseWithLuxon(text, dates, dates.format);
  const parts = numericParts(dates.format);
  if (!parts) return slow;
  const fields: string[] = [];
  let pattern = '^';
  for (const part of parts) {
    if (FIELD_TOKENS[part]) {
      fields.push(FIELD_TOKENS[part]);
      pattern += part === 'yyyy' ? '(\\d{4})' : '(\\d{2})';
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
      // Luxon's reading of the hour's first and last second: both as written (no gap) and at
      // one offset (no change within the hour) means every time in the hour reads the same way.
      const at = (minute: number, second: number) => {
        const time = DateTime.fromObject(
          { year: +y, month: +mo, day: +d, hour: +h, minute, second },
          { zone: dates.zone },
        );
        const asWritten =
          time.isValid &&
          time.year === +y &&
          time.month === +mo &&
          time.day === +d &&
          time.hour === +h &&
          time.minute === minute &&
          time.second === second;
        return asWritten ? time : null;
      };
      const start = at(0, 0);
      const end = at(59, 59);
      offset =
        start && end && start.offset === end.offset
          ? start.toISO({ suppressMilliseconds: true }).slice(19)
          : null;
      if (offsets.size >= MAX_ENTRIES) offsets.clear();
      offsets.set(key, offset);
    }
    return offset;
  };

  // The group of each field, found once (the last one where a format repeats a field, as an
  // assignment field by field would leave it); 0 for a field the format lacks.
  const group = (field: string) => fields.lastIndexOf(field) + 1;
  const [yearAt, monthAt, dayAt, hourAt, minuteAt, secondAt] = [
    'year',
    'month',
    'day',
    'hour',
    'minute',
    'second',
  ].map(group);
  return (text) => {
    const match = typeof text === 'string' ? regex.exec(text.trim()) : null;
    if (!match) return slow(text);
    const y = match[yearAt];
    const mo = match[monthAt];
    const d = match[dayAt];
    const h = hourAt === 0 ? '00' : match[hourAt];
    const mi = minuteAt === 0 ? '00' : match[minuteAt];
    const s = secondAt === 0 ? '00' : match[secondAt];
    const valid =
      +mo >= 1 && +mo <= 12 && +d >= 1 && +d <= daysIn(+y, +mo) && +h <= 23 && +mi <= 59 && +s <= 59;
    const offset = valid ? offsetOf(y, mo, d, h) : null;
    return offset ? `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}` : slow(text);
  };
}

const parsers = new Map<string, VendorDateParser>();

/** Parses a vendor date in `format` (a Luxon pattern or `iso`) in the agency's zone. */
export function parseVendorDate(text: string, dates: DateSettings, format = dates.format): string {
  const key = `${dates.zone}\n${format}`;
  let parser = parsers.get(key);
  if (parser === undefined) {
    parser = createVendorDateParser({ zone: dates.zone, format });
    if (parsers.size >= MAX_ENTRIES) parsers.clear();
    parsers.set(key, parser);
  }
  return parser(text);
}

/** `2025-09-16T02:20:00Z`, `...:00.5+07:00`: the instant of a plain ISO 8601 date-time, else null. */
const PLAIN_ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

function plainInstant(iso: string): number | null {
  const m = PLAIN_ISO.exec(iso);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  const plain =
    year >= 1900 &&
    year <= 9998 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 18 &&
    offsetMinutes <= 59;
  if (!plain) return null;
  // The same arithmetic as Luxon's, so the instant is the same to the millisecond.
  const millis = m[7] === undefined ? 0 : Math.floor(parseFloat(`0.${m[7]}`) * 1000);
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset * 60 * 1000;
}

const PAD: Record<string, number> = { yyyy: 4, MM: 2, dd: 2, HH: 2, mm: 2, ss: 2 };
const formats = new Map<string, string[] | null>();

/**
 * Formats an ISO 8601 date in the agency's `format` and zone. A plain date-time in a
 * fixed-width numeric format is written out directly, with the zone's offset from
 * {@link vendorZone}; everything else goes through Luxon.
 */
export function formatVendorDate(iso: string, dates: DateSettings, format = dates.format): string {
  let parts = formats.get(format);
  if (parts === undefined) {
    parts = numericParts(format);
    if (formats.size >= MAX_ENTRIES) formats.clear();
    formats.set(format, parts);
  }
  const zone = vendorZone(dates.zone);
  const instant = parts && typeof zone !== 'string' && typeof iso === 'string' ? plainInstant(iso) : null;
  if (parts && instant !== null && typeof zone !== 'string') {
    const local = new Date(instant + zone.offset(instant) * 60 * 1000);
    const values: Record<string, number> = {
      yyyy: local.getUTCFullYear(),
      MM: local.getUTCMonth() + 1,
      dd: local.getUTCDate(),
      HH: local.getUTCHours(),
      mm: local.getUTCMinutes(),
      ss: local.getUTCSeconds(),
    };
    return parts.map((part) => (PAD[part] ? String(values[part]).padStart(PAD[part], '0') : part)).join('');
  }
  const parsed = DateTime.fromISO(iso, { setZone: true });
  if (!parsed.isValid) throw IntegrationError.permanent(`"${iso}" is not an ISO 8601 date`);
  const local = parsed.setZone(zone);
  return format === 'iso' ? (local.toISO({ suppressMilliseconds: true }) as string) : local.toFormat(format);
}
