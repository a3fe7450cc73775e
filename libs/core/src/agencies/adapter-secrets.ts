import { AdapterSpec } from '@bridge/adapter-sdk';
import { SecretCipher } from '../security/secret-cipher';

/** What `list` and `show` put in place of every secret. */
export const SECRET_MASK = '********';

/** `${env:NAME}`: the value is read from the environment when the file is applied. */
const ENV_REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

const AUTH_SECRETS = new Set(['password', 'token', 'key', 'clientSecret']);
const CALLBACK_SECRETS = new Set(['secret']);
/** Kinds may carry credentials in their options (an SFTP password, a signing key): found by name. */
const OPTION_SECRET = /(password|passphrase|secret|token|privateKey|apiKey)$/i;

type Segment = string | number;
type SecretTransform = (value: string, path: Segment[]) => string;

/**
 * Returns a copy of an adapter section (as written, or a stored {@link AdapterSpec}) with `fn`
 * applied to every secret value: the credentials of `auth`, the `callbackAuth` secret, and any
 * `options` field named like a credential. Paths are relative to the section (`['auth','password']`).
 */
export function transformSecrets<T>(section: T, fn: SecretTransform): T {
  if (section === null || typeof section !== 'object') return section;
  const copy = structuredClone(section) as Record<string, unknown>;
  transformKeys(copy.auth, ['auth'], (key) => AUTH_SECRETS.has(key), fn, false);
  transformKeys(copy.callbackAuth, ['callbackAuth'], (key) => CALLBACK_SECRETS.has(key), fn, false);
  transformKeys(copy.options, ['options'], (key) => OPTION_SECRET.test(key), fn, true);
  return copy as T;
}

function transformKeys(
  node: unknown,
  path: Segment[],
  isSecret: (key: string) => boolean,
  fn: SecretTransform,
  deep: boolean,
): void {
  if (node === null || typeof node !== 'object') return;
  const entries: [Segment, unknown][] = Array.isArray(node)
    ? node.map((v, i) => [i, v])
    : Object.entries(node);
  for (const [key, value] of entries) {
    const here = [...path, key];
    if (typeof key === 'string' && typeof value === 'string' && isSecret(key)) {
      (node as Record<string, unknown>)[key] = fn(value, here);
    } else if (deep) {
      transformKeys(value, here, isSecret, fn, deep);
    }
  }
}

/**
 * Replaces every `${env:NAME}` secret with the variable's value. Each reference to a variable
 * that is not set, or that `refusal` says may not be read (with its reason), is reported
 * through `missing` (with its path) and left as it was.
 */
export function resolveEnvSecrets<T>(
  section: T,
  env: Readonly<Record<string, string | undefined>>,
  missing: (path: Segment[], name: string, refused?: string) => void,
  refusal: (name: string) => string | null = () => null,
): T {
  return transformSecrets(section, (value, path) => {
    const match = ENV_REFERENCE.exec(value);
    if (!match) return value;
    const refused = refusal(match[1]);
    if (refused) {
      missing(path, match[1], refused);
      return value;
    }
    const resolved = env[match[1]];
    if (resolved === undefined || resolved === '') {
      missing(path, match[1]);
      return value;
    }
    return resolved;
  });
}

/** The spec as stored: every secret encrypted with the bridge's key. */
export function encryptSecrets(spec: AdapterSpec, cipher: SecretCipher): AdapterSpec {
  return transformSecrets(spec, (value) => (SecretCipher.isEncrypted(value) ? value : cipher.encrypt(value)));
}

/** The spec as workers use it: every secret decrypted. */
export function decryptSecrets(spec: AdapterSpec, cipher: SecretCipher): AdapterSpec {
  return transformSecrets(spec, (value) => (SecretCipher.isEncrypted(value) ? cipher.decrypt(value) : value));
}

/** The spec as shown to people: every secret replaced by {@link SECRET_MASK}. */
export function maskSecrets(spec: AdapterSpec): AdapterSpec {
  return transformSecrets(spec, () => SECRET_MASK);
}
