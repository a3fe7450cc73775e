import { maskCitizenId, maskPhone } from '@bridge/domain';

/**
 * Masking of personal data inside free text (log lines, stored message bodies). Citizen id
 * numbers and phone numbers never leave the process in full (docs/security.md);
 * what stays visible is enough to tell two records apart and too little to identify a person.
 * The value masks themselves are the domain's (`maskCitizenId`, `maskPhone`); this file finds
 * the values in text.
 */

// Field names (JSON keys, XML elements, form fields) whose value is a citizen id or a phone,
// whatever its length or format: old 9-digit CMND numbers and formatted phones included.
const CITIZEN_ID_FIELD = String.raw`(?:citizen_?id(?:_?number)?|so_?cccd|cccd|cmnd|so_?cmnd|so_?dinh_?danh|ma_?dinh_?danh|identity_?number|national_?id|id_?number)`;
const PHONE_FIELD = String.raw`(?:phone(?:_?number)?|mobile|tel(?:ephone)?|so_?dien_?thoai|dien_?thoai|sdt|dt_?di_?dong)`;

function fieldPatterns(field: string): RegExp[] {
  return [
    // JSON: "soCCCD": "001089012345" or "soCCCD": 1089012345
    new RegExp(String.raw`("(?:[\w-]*:)?${field}"\s*:\s*")([^"\\]*)(")`, 'gi'),
    new RegExp(String.raw`("(?:[\w-]*:)?${field}"\s*:\s*)(\d+)()`, 'gi'),
    // XML: <ns:SoCCCD attr="x">001089012345</ns:SoCCCD>
    new RegExp(String.raw`(<(?:[\w-]+:)?${field}(?:\s[^>]*)?>)([^<]*)(</)`, 'gi'),
    // form / query string: soDienThoai=0912345678
    new RegExp(String.raw`((?:^|[?&;\s])${field}=)([^&;\s"'<>]+)()`, 'gi'),
  ];
}

const CITIZEN_ID_FIELDS = fieldPatterns(CITIZEN_ID_FIELD.replace(/_\?/g, '[_-]?'));
const PHONE_FIELDS = fieldPatterns(PHONE_FIELD.replace(/_\?/g, '[_-]?'));

// A standalone 12-digit number is treated as a citizen id. Neighbouring word characters, dots
// and dashes exclude parts of longer tokens such as UUIDs, hashes and decimals.
const STANDALONE_CITIZEN_ID = /(?<![\w.-])\d{12}(?![\w.-])/g;
// Vietnamese phone numbers: 0 + 9 or 10 digits, or 84 / +84 + 9 or 10 digits, optionally split
// by single spaces or dots (`0912 345 678`, `+84.912.345.678`). Dashes are not separators so
// that dates and UUIDs are left alone.
const STANDALONE_PHONE = /(?<![\w.+-])(?:\+84|84|0)(?:[ .]?\d){9,10}(?![\w-])/g;

/**
 * Masks citizen id numbers and phone numbers anywhere in `text`: values of fields named like
 * citizenId / SoCCCD / soDinhDanh / CMND or phone / soDienThoai (JSON, XML, form bodies), any
 * standalone 12-digit number, and any Vietnamese phone number.
 */
export function maskPersonalData(text: string): string {
  if (!/\d/.test(text)) return text;
  let out = text;
  for (const pattern of CITIZEN_ID_FIELDS) {
    out = out.replace(
      pattern,
      (_m, head: string, value: string, tail: string) => head + maskCitizenId(value) + tail,
    );
  }
  for (const pattern of PHONE_FIELDS) {
    out = out.replace(pattern, (_m, head: string, value: string, tail: string) =>
      /\d/.test(value) ? head + maskPhone(value) + tail : head + value + tail,
    );
  }
  out = out.replace(STANDALONE_CITIZEN_ID, (match) => maskCitizenId(match));
  return out.replace(STANDALONE_PHONE, (match) => maskPhone(match));
}

// Whole field names (a JSON key), for the structural walk of {@link maskPersonalValues}.
const CITIZEN_ID_KEY = new RegExp(`^${CITIZEN_ID_FIELD.replace(/_\?/g, '[_-]?')}$`, 'i');
const PHONE_KEY = new RegExp(`^${PHONE_FIELD.replace(/_\?/g, '[_-]?')}$`, 'i');
const TAX_CODE_KEY = /^(?:tax[_-]?code|ma[_-]?so[_-]?thue|mst)$/i;
// Beyond this depth a subtree is masked as text: no value escapes by being nested deeply.
const MAX_WALK_DEPTH = 32;

/** The masked form of a value held under `key`, or undefined when the key says nothing. */
function maskByKey(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  if (value === '') return undefined;
  const text = String(value);
  if (CITIZEN_ID_KEY.test(key)) return maskCitizenId(text);
  if (PHONE_KEY.test(key)) return /\d/.test(text) ? maskPhone(text) : text;
  // A 12-digit tax code is a person's citizen id (household businesses); 10 and 13 digits
  // are enterprises' and public.
  if (TAX_CODE_KEY.test(key) && text.replace(/\D/g, '').length === 12) return maskCitizenId(text);
  return undefined;
}

/**
 * A copy of a JSON value (an API answer, a stored payload) with citizen ids, phone numbers and
 * personal tax codes masked: values of keys named like them whatever their type or format,
 * and anything {@link maskPersonalData} finds in every other string.
 */
export function maskPersonalValues(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_WALK_DEPTH) return maskPersonalData(JSON.stringify(value));
  if (Array.isArray(value)) return value.map((item) => maskPersonalValues(item, depth + 1));
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = maskByKey(key, item) ?? maskPersonalValues(item, depth + 1);
  }
  return out;
}
