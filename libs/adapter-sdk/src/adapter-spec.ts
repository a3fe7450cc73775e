import { DossierStatus } from '@bridge/domain';
import type { AdapterLimits } from './adapter-limits';

/** The adapter kinds the bridge ships. Adding one: its folder, one value here, one registry line. */
export enum AdapterKind {
  Soap = 'soap',
  Rest = 'rest',
  CsvDrop = 'csv-drop',
  IgateLegacy = 'igate-legacy',
}

/** How the bridge authenticates to an agency. Secret values are encrypted at rest by the bridge. */
export type AdapterAuth =
  | { type: 'none' }
  | { type: 'api-key'; header: string; key: string }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'oauth2-client-credentials';
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
    }
  | {
      type: 'session-login';
      loginUrl: string;
      username: string;
      password: string;
      /** JSONata over the login response that yields the token (default `token`). */
      tokenPath?: string;
      /** Header that carries the token (default Authorization: Bearer). */
      header?: string;
    }
  | {
      type: 'ws-security';
      username: string;
      password: string;
      passwordType?: 'PasswordText' | 'PasswordDigest';
    };

/** How an agency proves its callbacks are its own. */
export type CallbackAuth = { type: 'hmac-sha256'; secret: string; header?: string } | { type: 'agency-key' };

/** Date formats seen in vendor payloads (often `yyyyMMddHHmmss` in Vietnam time, ISO 8601 or `dd/MM/yyyy`): a Luxon pattern or `iso`. */
export interface DateSettings {
  /** e.g. `yyyyMMddHHmmss`, `dd/MM/yyyy`, `iso`. */
  format: string;
  /** IANA zone of zone-less vendor dates; Vietnam is `Asia/Ho_Chi_Minh`. */
  zone: string;
}

/**
 * JSONata expressions that translate between the canonical model and the agency's dialect.
 * Each is optional; an adapter kind documents which it uses.
 */
export interface AdapterMappings {
  /** canonical submission → agency request body. Input: `{ dossier, idempotencyKey }`. */
  submitRequest?: string;
  /** agency response → `{ agencyDossierCode, appointmentDate?, receivedAt?, statusCode? }`. */
  submitResponse?: string;
  /** one agency status record → `{ agencyDossierCode?, bridgeId?, statusCode, at, note?, ... }`. */
  statusChange?: string;
  /** delivery notice → agency request body. */
  deliveryRequest?: string;
  /** supplement → agency request body. */
  supplementRequest?: string;
  /** lookup response → same shape as submitResponse, or null/empty when unknown. */
  lookupResponse?: string;
  /** Extra named expressions an adapter kind may use. */
  [name: string]: string | undefined;
}

/** Retry policy of an agency's deliveries. */
export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: number;
}

/** Circuit breaker settings of an agency. */
export interface CircuitSettings {
  failureThreshold: number;
  openMs: number;
}

/**
 * Status by look-up: the bridge asks the agency for each open dossier's status, each once per
 * `intervalMs` (spread over it, within the agency's rate limit), and less often once a dossier
 * has not changed for `idleAfterMs`.
 */
export interface StatusLookupSettings {
  intervalMs: number;
  /** A dossier unchanged this long is looked up every `idleIntervalMs` instead. */
  idleAfterMs: number;
  idleIntervalMs: number;
}

/**
 * The `adapter:` section of an agency file, after validation. Kind-specific settings live in
 * `options` and are validated by the kind's own JSON Schema.
 */
export interface AdapterSpec {
  kind: AdapterKind;
  endpoint: string;
  /** Used by the live conformance check instead of `endpoint` when present. */
  sandboxEndpoint?: string;
  auth: AdapterAuth;
  callbackAuth?: CallbackAuth;
  timeoutMs: number;
  concurrency: number;
  rateLimit?: { max: number; durationMs: number };
  retry: RetrySettings;
  circuit: CircuitSettings;
  /** How often to poll for status changes; absent when the agency pushes. */
  pollIntervalMs?: number;
  /** Present when the agency's status comes by per-dossier look-up. */
  statusLookup?: StatusLookupSettings;
  /** Agency status code → canonical status. */
  statusCodes: Record<string, DossierStatus>;
  dates: DateSettings;
  mappings: AdapterMappings;
  /** Time, depth and size bounds (`adapter.limits`); absent ones take the defaults of `adapterLimits`. */
  limits?: Partial<AdapterLimits>;
  options: Record<string, unknown>;
}

/** Identity of the agency an adapter instance serves. */
export interface AgencyIdentity {
  code: string;
  name: string;
}
