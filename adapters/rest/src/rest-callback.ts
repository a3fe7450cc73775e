import { createHmac, timingSafeEqual } from 'node:crypto';
import { CallbackAuth, InboundCallback, IntegrationError } from '@bridge/adapter-sdk';

/** Header that carries the callback signature unless the agency file names another. */
export const DEFAULT_SIGNATURE_HEADER = 'X-Signature';

function header(callback: InboundCallback, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(callback.headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/**
 * Checks that a push really comes from the agency. `hmac-sha256`: the header holds
 * HMAC-SHA256(secret, raw body) in hex or base64, optionally prefixed `sha256=`, compared in
 * constant time. `agency-key`: the gateway already authenticated the agency's API key.
 * Throws AUTH when the proof is missing or wrong, or when the agency file says nothing.
 */
export function verifyCallback(callback: InboundCallback, auth: CallbackAuth | undefined): void {
  if (!auth) {
    throw IntegrationError.auth('callbacks are refused: the agency file has no adapter.callbackAuth');
  }
  if (auth.type === 'agency-key') return;
  const name = auth.header ?? DEFAULT_SIGNATURE_HEADER;
  const given = header(callback, name)
    ?.trim()
    .replace(/^sha256=/i, '');
  if (!given) throw IntegrationError.auth(`callback has no signature in header ${name}`);
  const expected = createHmac('sha256', auth.secret).update(callback.rawBody).digest();
  const provided = /^[0-9a-f]{64}$/i.test(given) ? Buffer.from(given, 'hex') : Buffer.from(given, 'base64');
  if (provided.length !== expected.length || !timingSafeEqual(provided, expected)) {
    throw IntegrationError.auth(`callback signature in header ${name} does not match the body`);
  }
}

/** Decodes a verified push: one JSON change or an array of them. */
export function decodeCallbackBody(callback: InboundCallback): unknown[] {
  const text = callback.rawBody.toString('utf8').replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw IntegrationError.permanent(`callback body is not JSON: "${text.slice(0, 80)}"`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0 || items.some((item) => item === null || typeof item !== 'object')) {
    throw IntegrationError.permanent(
      'callback body must be a status change object or a non-empty array of them',
    );
  }
  return items;
}
