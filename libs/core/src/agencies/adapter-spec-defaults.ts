import { AdapterSpec, CircuitSettings, DateSettings, RetrySettings } from '@bridge/adapter-sdk';
import { AgencyFileAdapter } from './agency-file';

/** Values an agency file may leave out (config/agencies/README.md lists them). */
export const ADAPTER_DEFAULTS: {
  timeoutMs: number;
  concurrency: number;
  retry: RetrySettings;
  circuit: CircuitSettings;
  dates: DateSettings;
  auth: AdapterSpec['auth'];
  lookupIdleAfterMs: number;
} = {
  timeoutMs: 10_000,
  concurrency: 4,
  retry: { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 300_000, jitter: 0.3 },
  circuit: { failureThreshold: 5, openMs: 30_000 },
  dates: { format: 'iso', zone: 'Asia/Ho_Chi_Minh' },
  auth: { type: 'none' },
  // A dossier nobody touched for three days is looked up ten times less often.
  lookupIdleAfterMs: 3 * 24 * 3600_000,
};

/**
 * The full {@link AdapterSpec} of a schema-valid `adapter:` section: every default filled, every
 * optional field absent rather than undefined, so that the same file always yields the same
 * canonical spec (and hash).
 */
export function withAdapterDefaults(section: AgencyFileAdapter): AdapterSpec {
  const spec: AdapterSpec = {
    kind: section.kind,
    endpoint: section.endpoint,
    auth: section.auth ?? ADAPTER_DEFAULTS.auth,
    timeoutMs: section.timeoutMs ?? ADAPTER_DEFAULTS.timeoutMs,
    concurrency: section.concurrency ?? ADAPTER_DEFAULTS.concurrency,
    retry: { ...ADAPTER_DEFAULTS.retry, ...section.retry },
    circuit: { ...ADAPTER_DEFAULTS.circuit, ...section.circuit },
    statusCodes: section.statusCodes,
    dates: { ...ADAPTER_DEFAULTS.dates, ...section.dates },
    mappings: section.mappings,
    options: section.options ?? {},
  };
  if (section.sandboxEndpoint !== undefined) spec.sandboxEndpoint = section.sandboxEndpoint;
  if (section.callbackAuth !== undefined) spec.callbackAuth = section.callbackAuth;
  if (section.rateLimit !== undefined) spec.rateLimit = section.rateLimit;
  if (section.pollIntervalMs !== undefined) spec.pollIntervalMs = section.pollIntervalMs;
  if (section.limits !== undefined) spec.limits = section.limits;
  if (section.statusLookup !== undefined) {
    const { intervalMs } = section.statusLookup;
    spec.statusLookup = {
      intervalMs,
      idleAfterMs: section.statusLookup.idleAfterMs ?? ADAPTER_DEFAULTS.lookupIdleAfterMs,
      idleIntervalMs: section.statusLookup.idleIntervalMs ?? intervalMs * 10,
    };
  }
  return spec;
}
