import { RestAgencySimulator } from '@bridge/simulator';
import { restAgencyDoc, TEST_AGENCY_API_KEY } from '@bridge/testing';

/**
 * A REST agency that cannot de-duplicate filings: it files every request it gets as a new
 * dossier, so a dossier the bridge filed twice shows in its `filedCount`.
 */
export function startNoDedupeRestAgency(code: string, latencyMs = 0): Promise<RestAgencySimulator> {
  return RestAgencySimulator.start({
    agencyCode: code,
    latencyMs,
    dedupe: false,
    auth: { mode: 'api-key', header: 'X-Api-Key', key: TEST_AGENCY_API_KEY },
  });
}

/**
 * The agency file of such an agency, set up as one that cannot de-duplicate must be: the
 * bridge looks a dossier up by its bridge id before filing it (`lookupBeforeSubmit`).
 */
export function noDedupeRestAgencyDoc(
  code: string,
  url: string,
  adapter: Record<string, unknown> = {},
): Record<string, unknown> {
  const options = (adapter.options as Record<string, unknown> | undefined) ?? {};
  return restAgencyDoc(code, url, { ...adapter, options: { ...options, lookupBeforeSubmit: true } });
}
