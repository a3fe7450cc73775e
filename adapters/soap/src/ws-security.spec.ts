import { passwordDigest as soapPackageDigest } from 'soap';
import { parseSafeXml } from './safe-xml-reader';
import { readEnvelope, SoapEnvelopeBuilder } from './soap-envelope';
import {
  BASE64_BINARY,
  buildUsernameTokenHeader,
  PASSWORD_DIGEST,
  PASSWORD_TEXT,
  passwordDigest,
  verifyUsernameToken,
  WSSE_NS,
  WSU_NS,
} from './ws-security';

const NONCE = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');
const CREATED = new Date('2025-09-16T02:30:00.000Z');
const CREDENTIALS = { username: 'buudien.haichau', password: 'Mật-khẩu-2025' };

/** Builds a real envelope with the header and reads its Header back, as an agency would. */
function headerOf(header: Record<string, unknown>) {
  const xml = new SoapEnvelopeBuilder({ version: '1.1', namespace: 'urn:x' }).build('A', {}, header);
  return { xml, header: readEnvelope(parseSafeXml(xml)).header };
}

describe('WS-Security UsernameToken', () => {
  it('computes the digest as Base64(SHA-1(nonce + created + password)), as the soap package does', () => {
    const created = CREATED.toISOString();
    expect(passwordDigest(NONCE, created, CREDENTIALS.password)).toBe(
      soapPackageDigest(NONCE.toString('base64'), created, CREDENTIALS.password),
    );
    expect(passwordDigest(NONCE, created, 'a')).not.toBe(passwordDigest(NONCE, created, 'b'));
  });

  it('sends a digest token: username, typed digest, Base64 nonce, Created, and never the password', () => {
    const { xml, header } = headerOf(
      buildUsernameTokenHeader({ ...CREDENTIALS, passwordType: 'PasswordDigest' }, CREATED, NONCE),
    );
    expect(xml).toContain(`<wsse:Security xmlns:wsse="${WSSE_NS}" xmlns:wsu="${WSU_NS}">`);
    expect(xml).not.toContain(CREDENTIALS.password);
    expect(header).toEqual({
      Security: {
        UsernameToken: {
          Username: CREDENTIALS.username,
          Password: {
            '@_Type': PASSWORD_DIGEST,
            '#text': passwordDigest(NONCE, CREATED.toISOString(), CREDENTIALS.password),
          },
          Nonce: { '@_EncodingType': BASE64_BINARY, '#text': NONCE.toString('base64') },
          Created: '2025-09-16T02:30:00.000Z',
        },
      },
    });
  });

  it('sends a text token with the PasswordText type', () => {
    const { header } = headerOf(buildUsernameTokenHeader(CREDENTIALS, CREATED, NONCE));
    expect(header).toMatchObject({
      Security: { UsernameToken: { Password: { '@_Type': PASSWORD_TEXT, '#text': CREDENTIALS.password } } },
    });
  });

  it('uses a fresh nonce for every message', () => {
    const a = buildUsernameTokenHeader({ ...CREDENTIALS, passwordType: 'PasswordDigest' });
    const b = buildUsernameTokenHeader({ ...CREDENTIALS, passwordType: 'PasswordDigest' });
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  });

  it('accepts matching text and digest tokens and says why others are refused', () => {
    const digest = headerOf(
      buildUsernameTokenHeader({ ...CREDENTIALS, passwordType: 'PasswordDigest' }, CREATED, NONCE),
    ).header;
    const text = headerOf(buildUsernameTokenHeader(CREDENTIALS, CREATED, NONCE)).header;
    const soon = new Date(CREATED.getTime() + 60_000);
    expect(verifyUsernameToken(digest, CREDENTIALS, soon)).toEqual({
      ok: true,
      nonce: NONCE.toString('base64'),
    });
    expect(verifyUsernameToken(text, CREDENTIALS, soon).ok).toBe(true);
    expect(verifyUsernameToken(digest, { ...CREDENTIALS, password: 'khác' }, soon)).toEqual({
      ok: false,
      reason: 'wrong password digest',
    });
    expect(verifyUsernameToken(text, { ...CREDENTIALS, username: 'khac' }, soon)).toEqual({
      ok: false,
      reason: 'unknown username',
    });
    expect(verifyUsernameToken(digest, CREDENTIALS, new Date(CREATED.getTime() + 10 * 60_000))).toMatchObject(
      { ok: false, reason: expect.stringContaining('not within') },
    );
    expect(verifyUsernameToken({}, CREDENTIALS, soon)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('no WS-Security'),
    });
  });
});
