import { AdapterKind, AdapterSpec } from '@bridge/adapter-sdk';
import { SecretCipher } from '../security/secret-cipher';
import {
  SECRET_MASK,
  decryptSecrets,
  encryptSecrets,
  maskSecrets,
  resolveEnvSecrets,
} from './adapter-secrets';
import { withAdapterDefaults } from './adapter-spec-defaults';
import { specContentHash } from './spec-fingerprint';

const spec: AdapterSpec = withAdapterDefaults({
  kind: AdapterKind.CsvDrop,
  endpoint: 'sftp://drop.example/inbox',
  auth: { type: 'api-key', header: 'X-Api-Key', key: 'k-123456' },
  callbackAuth: { type: 'hmac-sha256', secret: 'callback-secret-0001' },
  statusCodes: { A: 'received' },
  mappings: {},
  options: { sftp: { username: 'buudien', password: 'sftp-pass', privateKey: 'PEM' }, tokenPath: 'a.b' },
});

describe('adapter secrets', () => {
  const cipher = new SecretCipher('agency-secrets-test-key');

  it('masks credentials of auth, callbackAuth and credential-named options, and nothing else', () => {
    const masked = maskSecrets(spec);
    expect(masked.auth).toEqual({ type: 'api-key', header: 'X-Api-Key', key: SECRET_MASK });
    expect(masked.callbackAuth).toEqual({ type: 'hmac-sha256', secret: SECRET_MASK });
    expect(masked.options).toEqual({
      sftp: { username: 'buudien', password: SECRET_MASK, privateKey: SECRET_MASK },
      tokenPath: 'a.b',
    });
    expect(spec.auth).toEqual({ type: 'api-key', header: 'X-Api-Key', key: 'k-123456' });
  });

  it('encrypts every secret so no clear text remains, and decrypts back to the same spec', () => {
    const stored = encryptSecrets(spec, cipher);
    const text = JSON.stringify(stored);
    for (const secret of ['k-123456', 'callback-secret-0001', 'sftp-pass', '"PEM"'])
      expect(text).not.toContain(secret);
    expect(decryptSecrets(stored, cipher)).toEqual(spec);
  });

  it('resolves ${env:NAME} and reports each unset variable with its path', () => {
    const missing: string[] = [];
    const resolved = resolveEnvSecrets(
      {
        ...spec,
        auth: { type: 'bearer', token: '${env:SET_TOKEN}' },
        callbackAuth: { type: 'hmac-sha256', secret: '${env:UNSET}' },
      },
      { SET_TOKEN: 'from-env' },
      (path, name) => missing.push(`${path.join('.')}=${name}`),
    );
    expect(resolved.auth).toEqual({ type: 'bearer', token: 'from-env' });
    expect(missing).toEqual(['callbackAuth.secret=UNSET']);
  });

  it('hashes the spec without its secrets, so the hash reveals nothing about them', () => {
    const otherKey = { ...spec, auth: { type: 'api-key' as const, header: 'X-Api-Key', key: 'another' } };
    expect(specContentHash(otherKey)).toBe(specContentHash(spec));
    expect(specContentHash({ ...spec, timeoutMs: 5000 })).not.toBe(specContentHash(spec));
  });
});
