import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = /^pob_([A-Za-z0-9]{8})_([A-Za-z0-9]{32})$/;

/** scrypt cost parameters of stored key hashes (about 50 ms and 16 MiB per check). */
export const API_KEY_SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/** Uniformly random base62 text (rejection sampling keeps every character equally likely). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new API key `pob_<prefix8>_<secret32>` (base62, about 190 bits of secret) and its prefix. */
export function generateApiKey(): { key: string; prefix: string } {
  const prefix = randomBase62(8);
  return { key: `pob_${prefix}_${randomBase62(32)}`, prefix };
}

/** The lookup prefix of a well-formed key, or undefined when `raw` is not shaped like a key. */
export function prefixOfApiKey(raw: string): string | undefined {
  return KEY_SHAPE.exec(raw)?.[1];
}

function scryptAsync(
  key: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(key, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    ),
  );
}

/** `scrypt$N$r$p$<salt>$<hash>` (base64url) of the whole key, with a fresh random salt. */
export async function hashApiKey(key: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = API_KEY_SCRYPT;
  const salt = randomBytes(saltLength);
  const hash = await scryptAsync(key, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/**
 * Checks `key` against a stored hash in constant time. A malformed stored value is refused
 * (never treated as a match), and so are cost parameters outside sane bounds.
 */
export async function verifyApiKeyHash(key: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every(Number.isInteger) || N < 2 || N > 1 << 20 || r < 1 || r > 32 || p < 1 || p > 16)
    return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length < 16) return false;
  const actual = await scryptAsync(key, salt, N, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}

/** Constant-time equality of two strings of any length (compares their SHA-256 digests). */
export function constantTimeEquals(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
