import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { textOf } from './soap-envelope';

export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const TOKEN_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';
export const PASSWORD_TEXT = `${TOKEN_PROFILE}#PasswordText`;
export const PASSWORD_DIGEST = `${TOKEN_PROFILE}#PasswordDigest`;
export const BASE64_BINARY =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** UsernameToken credentials; `PasswordDigest` never puts the password on the wire. */
export interface UsernameTokenCredentials {
  username: string;
  password: string;
  passwordType?: 'PasswordText' | 'PasswordDigest';
}

/** Base64(SHA-1(nonce bytes + created + password)), as the UsernameToken Profile 1.0 defines it. */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(nonce).update(created, 'utf8').update(password, 'utf8').digest('base64');
}

/**
 * The `wsse:Security` header block (XMLBuilder JSON, to go under `soap:Header`). A fresh nonce
 * and creation time are used for each message so a digest cannot be replayed.
 */
export function buildUsernameTokenHeader(
  credentials: UsernameTokenCredentials,
  now: Date = new Date(),
  nonce: Buffer = randomBytes(16),
): Record<string, unknown> {
  const created = now.toISOString();
  const digest = (credentials.passwordType ?? 'PasswordText') === 'PasswordDigest';
  const token: Record<string, unknown> = {
    'wsse:Username': credentials.username,
    'wsse:Password': digest
      ? { '@_Type': PASSWORD_DIGEST, '#text': passwordDigest(nonce, created, credentials.password) }
      : { '@_Type': PASSWORD_TEXT, '#text': credentials.password },
    'wsse:Nonce': { '@_EncodingType': BASE64_BINARY, '#text': nonce.toString('base64') },
    'wsu:Created': created,
  };
  return { 'wsse:Security': { '@_xmlns:wsse': WSSE_NS, '@_xmlns:wsu': WSU_NS, 'wsse:UsernameToken': token } };
}

/** Outcome of checking an agency's UsernameToken. */
export type UsernameTokenCheck = { ok: true; nonce?: string } | { ok: false; reason: string };

function sameSecret(a: string, b: string): boolean {
  // Hash first so lengths match and the comparison time says nothing about the secret.
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Checks the UsernameToken in a parsed SOAP Header (prefixes removed) against the expected
 * credentials. Text and digest passwords are both accepted; either way the token must carry a
 * `Nonce` (at most 128 characters) and a `Created` within `maxSkewMs` of `now` (default 5
 * minutes): without them a recorded push, PasswordText above all, could be replayed at will.
 * The caller remembers the nonce (see `decodeSoapCallback`).
 */
export function verifyUsernameToken(
  header: Record<string, unknown> | undefined,
  expected: { username: string; password: string },
  now: Date = new Date(),
  maxSkewMs = 5 * 60_000,
): UsernameTokenCheck {
  const security = header?.Security as Record<string, unknown> | undefined;
  const token = security?.UsernameToken as Record<string, unknown> | undefined;
  if (!token) return { ok: false, reason: 'no WS-Security UsernameToken in the SOAP header' };
  const username = textOf(token.Username);
  if (username === undefined || !sameSecret(username, expected.username)) {
    return { ok: false, reason: 'unknown username' };
  }
  const passwordNode = token.Password;
  const password = textOf(passwordNode) ?? '';
  const type = (passwordNode as Record<string, unknown> | undefined)?.['@_Type'];
  const nonce = textOf(token.Nonce);
  const created = textOf(token.Created);
  if (!nonce || !created) return { ok: false, reason: 'the token needs a Nonce and a Created time' };
  if (nonce.length > 128) return { ok: false, reason: 'the Nonce is longer than 128 characters' };
  const at = Date.parse(created);
  if (Number.isNaN(at) || Math.abs(now.getTime() - at) > maxSkewMs) {
    return {
      ok: false,
      reason: `Created "${created.slice(0, 40)}" is not within ${maxSkewMs / 1000} s of now`,
    };
  }
  if (typeof type === 'string' && type.endsWith('#PasswordDigest')) {
    const wanted = passwordDigest(Buffer.from(nonce, 'base64'), created, expected.password);
    return sameSecret(password, wanted)
      ? { ok: true, nonce }
      : { ok: false, reason: 'wrong password digest' };
  }
  return sameSecret(password, expected.password)
    ? { ok: true, nonce }
    : { ok: false, reason: 'wrong password' };
}
