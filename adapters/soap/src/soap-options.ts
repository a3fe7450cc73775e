import { AdapterSpec, compileMappings } from '@bridge/adapter-sdk';
import { SoapVersion } from './soap-envelope';
import { XmlLimits } from './safe-xml-reader';

/** One SOAP operation of the agency's service. */
export interface SoapOperation {
  /** Operation (and request element) name, e.g. `NopHoSo`. */
  name: string;
  /** SOAPAction (1.1 header, 1.2 `action` parameter); empty when the service ignores it. */
  soapAction?: string;
}

/** The bridge's roles and the agency operation playing each. */
export interface SoapOperations {
  submit: SoapOperation;
  lookup: SoapOperation;
  supplement?: SoapOperation;
  delivered?: SoapOperation;
  /** The "changes since" operation polled for status changes. */
  status?: SoapOperation;
  /** A cheap operation for health checks; without it the probe fetches `?wsdl`. */
  probe?: SoapOperation;
}

/**
 * `adapter.options` of a SOAP agency.
 *
 * Mappings used (JSONata, in `adapter.mappings`): `submitRequest` + `submitResponse`,
 * `lookupRequest` (input `{ idempotencyKey, bridgeId, itemId, agencyDossierCode, dossierRef }`) + `lookupResponse`, `supplementRequest`,
 * `deliveryRequest`, `pollRequest` (input `{ cursor }`) + `pollResponse` (→ `{ records, cursor }`),
 * `statusChange` (one record → a status change), optional `probeRequest` and `callbackRecords`
 * (push Body → record(s); default: the content of the Body's first element). Response mappings
 * receive the content of `soap:Body` with prefixes removed, e.g. `{ NopHoSoResponse: {...} }`.
 */
export interface SoapAdapterOptions {
  soapVersion: SoapVersion;
  /** Target namespace of the service. */
  namespace: string;
  /** Prefix of the operation element (default `tns`). */
  prefix?: string;
  /** Default `qualified`: request children are in the target namespace too. */
  elementForm?: 'qualified' | 'unqualified';
  operations: SoapOperations;
  /** For agencies that cannot de-duplicate: look up by bridge id before filing (default false). */
  lookupBeforeSubmit?: boolean;
  /** Which bridge id is `dossierRef` in `lookupRequest` before the agency gave its code (default bridgeId). */
  lookupBy?: 'bridgeId' | 'itemId';
  /** Text in a fault's code or message meaning "no such dossier" (→ NOT_FOUND, lookup → null). */
  notFoundFaults?: string[];
  /**
   * Pushes must carry a WS-Security UsernameToken with the same username and password as
   * `adapter.auth` (type `ws-security`), on top of the bearer key the gateway checks.
   */
  callbackUsernameToken?: boolean;
  /**
   * How far a push's UsernameToken `Created` may lie from now, in ms (default 300000, five
   * minutes); each nonce is remembered for twice as long and never accepted again.
   */
  callbackTokenWindowMs?: number;
  /** Limits of the XML reader for responses and pushes (default 2 MB, depth 64). */
  xmlLimits?: XmlLimits;
}

const operationSchema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1 }, soapAction: { type: 'string' } },
};

/** JSON Schema of `adapter.options` for kind `soap`. */
export const soapOptionsSchema = {
  type: 'object',
  required: ['soapVersion', 'namespace', 'operations'],
  additionalProperties: false,
  properties: {
    soapVersion: { enum: ['1.1', '1.2'] },
    namespace: { type: 'string', minLength: 1 },
    prefix: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' },
    elementForm: { enum: ['qualified', 'unqualified'] },
    operations: {
      type: 'object',
      required: ['submit', 'lookup'],
      additionalProperties: false,
      properties: Object.fromEntries(
        ['submit', 'lookup', 'supplement', 'delivered', 'status', 'probe'].map((k) => [k, operationSchema]),
      ),
    },
    lookupBeforeSubmit: { type: 'boolean' },
    lookupBy: { enum: ['bridgeId', 'itemId'] },
    notFoundFaults: { type: 'array', items: { type: 'string', minLength: 1 } },
    callbackUsernameToken: { type: 'boolean' },
    callbackTokenWindowMs: { type: 'integer', minimum: 10_000, maximum: 3_600_000 },
    xmlLimits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxBytes: { type: 'integer', minimum: 1024 },
        maxDepth: { type: 'integer', minimum: 4, maximum: 1000 },
      },
    },
  },
} as const;

/** Mappings each operation needs. */
const REQUIRED_MAPPINGS: Record<keyof SoapOperations, string[]> = {
  submit: ['submitRequest', 'submitResponse'],
  lookup: ['lookupRequest', 'lookupResponse'],
  supplement: ['supplementRequest'],
  delivered: ['deliveryRequest'],
  status: ['pollRequest', 'pollResponse', 'statusChange'],
  probe: [],
};

/**
 * Checks a schema cannot express: the mappings each configured operation needs, that they
 * compile, and that the auth and callback settings fit a SOAP agency.
 */
export function checkSoapSpec(spec: AdapterSpec): string[] {
  const problems: string[] = [];
  const options = spec.options as unknown as SoapAdapterOptions;
  for (const [role, needed] of Object.entries(REQUIRED_MAPPINGS)) {
    if (!options.operations?.[role as keyof SoapOperations]) continue;
    for (const name of needed) {
      if (!spec.mappings[name]) problems.push(`mappings.${name}: required by operations.${role}`);
    }
  }
  if (!['none', 'basic', 'bearer', 'api-key', 'ws-security'].includes(spec.auth.type)) {
    problems.push(`auth.type: "${spec.auth.type}" is not supported by SOAP agencies`);
  }
  if (options.callbackUsernameToken && spec.auth.type !== 'ws-security') {
    problems.push('options.callbackUsernameToken: needs auth.type ws-security (its credentials are checked)');
  }
  for (const [name, expression] of Object.entries(spec.mappings)) {
    try {
      compileMappings({ [name]: expression }, { dates: spec.dates, statusCodes: spec.statusCodes });
    } catch (error) {
      problems.push(`mappings.${name}: ${(error as Error).message}`);
    }
  }
  return problems;
}
