import { AdapterKind, AdapterSpec, CircuitSettings, DateSettings, RetrySettings } from '@bridge/adapter-sdk';
import { AgencyProcedure } from '@bridge/persistence';
import { AgencyProblem } from './agency-problem';

/** One procedure line of an agency file, as written. */
export interface AgencyFileProcedure {
  code: string;
  name: string;
  /** Whether the agency takes the procedure by post; true when omitted. */
  byPost?: boolean;
  processingDays?: number;
}

/** The `adapter:` section of an agency file, as written: defaults not yet filled. */
export interface AgencyFileAdapter {
  kind: AdapterKind;
  endpoint: string;
  sandboxEndpoint?: string;
  auth?: AdapterSpec['auth'];
  callbackAuth?: AdapterSpec['callbackAuth'];
  timeoutMs?: number;
  concurrency?: number;
  rateLimit?: { max: number; durationMs: number };
  retry?: Partial<RetrySettings>;
  circuit?: Partial<CircuitSettings>;
  pollIntervalMs?: number;
  /** Status by per-dossier look-up (SOAP and REST); idle settings default from `intervalMs`. */
  statusLookup?: { intervalMs: number; idleAfterMs?: number; idleIntervalMs?: number };
  statusCodes: AdapterSpec['statusCodes'];
  dates?: Partial<DateSettings>;
  mappings: AdapterSpec['mappings'];
  limits?: AdapterSpec['limits'];
  /**
   * Inputs of the agency's own (e.g. recorded answers), by mapping name: at apply time each
   * mapping must map them within its budget. Used only then; not part of the stored spec.
   */
  examples?: Record<string, unknown[]>;
  options?: Record<string, unknown>;
}

/**
 * One agency file (`config/agencies/<province>/<code>.yaml`). A unit that only groups others
 * (a People's Committee above its departments) has no `adapter`.
 */
export interface AgencyFile {
  code: string;
  name: string;
  /** province, city, department, district, commune, ... — data, not code. */
  level: string;
  /** Code of the unit above this one in the administrative hierarchy. */
  parent?: string;
  province?: string;
  /** ISO dates (yyyy-MM-dd); a unit merged away by a reorganisation gets a `validTo`. */
  validFrom?: string;
  validTo?: string;
  /** The unit that took this one over after `validTo` (a merger of communes, say). */
  mergedInto?: string;
  procedures: AgencyFileProcedure[];
  adapter?: AgencyFileAdapter;
}

/**
 * A file read from disk: its path (as shown in problems), the parsed YAML (undefined when it
 * could not be parsed) and the problems found while reading it (YAML syntax, with line numbers).
 */
export interface AgencyDocument {
  file: string;
  data: unknown;
  problems: AgencyProblem[];
}

/**
 * An agency that passed validation, ready to store: codes canonical, text NFC, defaults filled,
 * `${env:NAME}` secrets resolved to their values (still clear text — encrypt before storing).
 */
export interface ValidatedAgency {
  file: string;
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  province: string | null;
  validFrom: string | null;
  validTo: string | null;
  mergedInto: string | null;
  procedures: AgencyProcedure[];
  spec: AdapterSpec | null;
  /** `adapter.examples` of the file: tried at apply time, never stored. */
  examples?: Record<string, unknown[]>;
}
