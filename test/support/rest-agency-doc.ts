import { exampleAgency, withOverrides } from './agencies';

/**
 * An agency file for a vendor-B (REST) agency served by a RestAgencySimulator at `url` in
 * API-key mode, with test-friendly retry and circuit settings.
 */
export function restAgencyDoc(
  code: string,
  url: string,
  adapter: Record<string, unknown> = {},
): Record<string, unknown> {
  const doc = withOverrides(exampleAgency('rest'), {
    code,
    name: `Cơ quan thử nghiệm ${code}`,
    parent: undefined,
    adapter: {
      endpoint: url,
      sandboxEndpoint: undefined,
      pollIntervalMs: 1000,
      retry: { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 2000, jitter: 0.1 },
      circuit: { failureThreshold: 50, openMs: 2000 },
      ...adapter,
    },
  });
  const section = doc.adapter as Record<string, unknown>;
  section.auth = { type: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY };
  section.callbackAuth = { type: 'agency-key' };
  return doc;
}

/** The API key every REST simulator in tests accepts. */
export const TEST_AGENCY_API_KEY = 'khoa-thu-nghiem';
