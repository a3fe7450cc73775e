import { AGENCY_CODE_PATTERN } from '../../identifiers/agency-code';
import { PROCEDURE_CODE_PATTERN } from '../../identifiers/procedure-code';
import { SERVICE_OPTIONS } from '../../model/dossier';
import { JsonSchema, patternString, strictObject } from './json-schema';

/**
 * Building blocks shared by the event schemas. Shapes live here; the check digits of item ids
 * and tax codes are verified by the EventValidator, which JSON Schema cannot express.
 */

export const NON_EMPTY_TEXT: JsonSchema = {
  type: 'string',
  minLength: 1,
  pattern: '\\S',
  description: 'non-blank text',
};
export const TIMESTAMP: JsonSchema = {
  type: 'string',
  format: 'date-time',
  description: 'an RFC 3339 timestamp with a time-zone offset, e.g. 2025-07-01T08:30:00+07:00',
};

export const ITEM_ID = patternString(
  '[A-Z0-9][A-Z0-9-]{5,29}',
  'a postal item id: UPU S10 (2 letters, 9 digits, 2 letters, e.g. EC136431858VN) or, where allowed, a domestic code of 6–30 upper-case letters, digits or dashes',
);
export const AGENCY_CODE = patternString(
  AGENCY_CODE_PATTERN,
  'an agency code of QCVN 102:2016, e.g. 000.00.00.H48',
);
export const PROCEDURE_CODE = patternString(
  PROCEDURE_CODE_PATTERN,
  'a procedure code d.dddddd (e.g. 1.001612), optionally followed by "." or "-" and an agency code',
);
export const CITIZEN_ID = patternString('\\d{12}', 'a citizen id number (CCCD) of exactly 12 digits');
export const TAX_CODE = patternString(
  '\\d{10}|\\d{10}-?\\d{3}|\\d{12}',
  'a tax code of 10 digits, 13 for a branch (XXXXXXXXXX-NNN), or a 12-digit citizen id number',
);
export const PHONE = patternString(
  '\\+?\\d[\\d .-]{7,18}',
  'a phone number: digits, optionally a leading + and spaces, dots or dashes',
);
export const EMAIL: JsonSchema = { type: 'string', format: 'email', description: 'an e-mail address' };

export const ADDRESS = strictObject(
  {
    line: NON_EMPTY_TEXT,
    commune: NON_EMPTY_TEXT,
    communeCode: patternString('\\d{5}', 'a 5-digit commune code'),
    district: NON_EMPTY_TEXT,
    province: NON_EMPTY_TEXT,
    provinceCode: patternString('\\d{2}', 'a 2-digit province code'),
  },
  ['line', 'province'],
);

export const PERSON_APPLICANT = strictObject(
  {
    kind: { const: 'person' },
    fullName: NON_EMPTY_TEXT,
    citizenId: CITIZEN_ID,
    phone: PHONE,
    email: EMAIL,
    address: ADDRESS,
  },
  ['kind', 'fullName', 'citizenId', 'phone', 'address'],
);

export const ORGANIZATION_APPLICANT = strictObject(
  {
    kind: { const: 'organization' },
    name: NON_EMPTY_TEXT,
    taxCode: TAX_CODE,
    representative: NON_EMPTY_TEXT,
    phone: PHONE,
    email: EMAIL,
    address: ADDRESS,
  },
  ['kind', 'name', 'taxCode', 'phone', 'address'],
);

/**
 * A person or an organization, told apart by `kind`. Written as if/then/else rather than
 * oneOf so a mistake is reported on the field itself, not as "matches neither branch".
 */
export const APPLICANT: JsonSchema = {
  type: 'object',
  required: ['kind'],
  properties: { kind: { enum: ['person', 'organization'], description: 'person or organization' } },
  if: { properties: { kind: { const: 'person' } } },
  then: PERSON_APPLICANT,
  else: { if: { properties: { kind: { const: 'organization' } } }, then: ORGANIZATION_APPLICANT },
};

export const DOCUMENT = strictObject(
  {
    name: NON_EMPTY_TEXT,
    form: { enum: ['original', 'copy'], description: 'original or copy' },
    count: { type: 'integer', minimum: 1 },
  },
  ['name', 'form', 'count'],
);
export const DOCUMENTS: JsonSchema = { type: 'array', items: DOCUMENT };

export const FEE = strictObject(
  {
    name: NON_EMPTY_TEXT,
    amount: {
      type: 'integer',
      minimum: 0,
      description: 'a whole number of đồng, 0 or more (VND has no minor unit)',
    },
    currency: { const: 'VND' },
  },
  ['name', 'amount', 'currency'],
);
export const FEES: JsonSchema = { type: 'array', items: FEE };

export const SERVICE_OPTION: JsonSchema = {
  enum: [...SERVICE_OPTIONS],
  description: 'send (the dossier only), return (the result only) or both',
};
