import { IntegrationError } from '@bridge/adapter-sdk';

/** Result codes of the iGate answer header that mean success (0001: already filed, same dossier). */
export const IGATE_OK_CODES = new Set(['0000', '0001']);

/** How long iGate wants us to back off when it says it is busy; it never says itself. */
const BUSY_BACKOFF_MS = 30_000;

/**
 * Maps an iGate result code to the bridge's error vocabulary: 1xxx unknown dossier, 2xxx
 * signature / user / clock refused, 3xxx invalid data, 9001 busy, other 9xxx system errors.
 */
export function mapIgateResult(code: string, message: string): IntegrationError {
  const text = `iGate ${code}: ${message || '(no message)'}`;
  if (code.startsWith('1')) return IntegrationError.notFound(text, { vendorCode: code });
  if (code.startsWith('2')) return IntegrationError.auth(text, { vendorCode: code });
  if (code.startsWith('3')) return IntegrationError.permanent(text, { vendorCode: code });
  if (code === '9001') return IntegrationError.rateLimited(text, BUSY_BACKOFF_MS, { vendorCode: code });
  if (code.startsWith('9')) return IntegrationError.temporary(text, { vendorCode: code });
  return IntegrationError.permanent(`unknown ${text}`, { vendorCode: code });
}

/** Maps an HTTP status outside 200 (the servlet container's own errors). */
export function mapIgateHttpStatus(status: number, body: string): IntegrationError {
  const text = `iGate HTTP ${status}: ${body.replace(/\s+/g, ' ').slice(0, 100)}`;
  if (status === 429)
    return IntegrationError.rateLimited(text, BUSY_BACKOFF_MS, { vendorCode: String(status) });
  if (status === 408 || status >= 500)
    return IntegrationError.temporary(text, { vendorCode: String(status) });
  if (status === 401 || status === 403) return IntegrationError.auth(text, { vendorCode: String(status) });
  return IntegrationError.permanent(text, { vendorCode: String(status) });
}
