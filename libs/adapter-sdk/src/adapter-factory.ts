import { AgencyAdapter } from './agency-adapter';
import { AdapterSpec, AgencyIdentity } from './adapter-spec';
import { CallbackReplyFramer } from './callback-reply';

/** What the bridge lends an adapter when it creates one. */
export interface AdapterDependencies {
  /** Minimal structured logger; never give it secrets or unmasked personal data. */
  logger: AdapterLogger;
  /** A small key/value store shared by every bridge process (Redis), for tokens, cursors, locks. */
  store?: AdapterStore;
}

export interface AdapterLogger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** Shared state for adapters that need it (CSV folder locks, processed-file hashes, OAuth tokens). */
export interface AdapterStore {
  get(key: string): Promise<string | null>;
  /** Sets a value; with `onlyIfAbsent`, returns false when the key already existed. */
  set(key: string, value: string, options?: { ttlMs?: number; onlyIfAbsent?: boolean }): Promise<boolean>;
  delete(key: string): Promise<void>;
}

/** How the bridge checks that an agency is up (the circuit's probe), as operators are shown it. */
export interface ProbeDescription {
  /** The agency's own health-check operation named in its file, or null when it names none. */
  operation: string | null;
  /**
   * Without one, the cheap request used instead: `wsdl` (fetching the service's WSDL) or
   * `lookup` (looking up a dossier that cannot exist); null when nothing is asked.
   */
  fallback: 'wsdl' | 'lookup' | null;
}

/**
 * Describes one adapter kind: how to validate its `options` and how to build an instance.
 * Registered in one map typed `satisfies Record<AdapterKind, AdapterFactory>`.
 */
export interface AdapterFactory {
  /** JSON Schema of the kind's `adapter.options` section. */
  optionsSchema: object;
  /**
   * Extra checks a schema cannot express (mappings that must exist, folders that must differ).
   * Returns problems as `path: message` strings; empty when the spec is usable.
   */
  check?(spec: AdapterSpec): string[];
  /**
   * The spec the live check uses against the agency's test system, or null when the file names
   * none. Without this hook a test system is the same spec with `sandboxEndpoint` as endpoint.
   */
  sandboxSpec?(spec: AdapterSpec): AdapterSpec | null;
  /** Whether the kind's adapters implement `lookupStatus` (agency files may then say `statusLookup`). */
  looksUpStatus?: boolean;
  /**
   * Frames the answer to pushes on the kind's own route (the `soap` kind: envelopes and faults).
   * Kinds without one are answered in the bridge's JSON.
   */
  callbackReply?: CallbackReplyFramer;
  /**
   * How an agency with these `adapter.options` is probed, for kinds whose agency files name a
   * probe operation (or may leave it out); kinds with a probe of their own (a folder check, a
   * fixed PING) leave this out.
   */
  probeOf?(options: Record<string, unknown>): ProbeDescription;
  create(agency: AgencyIdentity, spec: AdapterSpec, deps: AdapterDependencies): AgencyAdapter;
}

/** A logger that drops everything; for tests and dry runs. */
export const silentAdapterLogger: AdapterLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** An in-process AdapterStore, for tests and single-process runs. */
export class MemoryAdapterStore implements AdapterStore {
  private readonly values = new Map<string, { value: string; expires?: number }>();

  async get(key: string): Promise<string | null> {
    const entry = this.values.get(key);
    if (!entry) return null;
    if (entry.expires !== undefined && entry.expires < Date.now()) {
      this.values.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(
    key: string,
    value: string,
    options: { ttlMs?: number; onlyIfAbsent?: boolean } = {},
  ): Promise<boolean> {
    if (options.onlyIfAbsent && (await this.get(key)) !== null) return false;
    this.values.set(key, { value, expires: options.ttlMs ? Date.now() + options.ttlMs : undefined });
    return true;
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
