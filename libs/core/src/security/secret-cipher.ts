import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * Authenticated encryption (AES-256-GCM) of adapter credentials at rest. The key is derived
 * from BRIDGE_SECRET_KEY; a stored value looks like `enc:v1:<iv>:<tag>:<ciphertext>` (base64url).
 */
export class SecretCipher {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = scryptSync(secretKey, 'postal-one-stop-bridge/secrets', 32);
  }

  static isEncrypted(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
  }

  /** Throws when the value was not encrypted with this key or was tampered with. */
  decrypt(value: string): string {
    if (!SecretCipher.isEncrypted(value)) throw new Error('value is not an encrypted secret');
    const [iv, tag, body] = value.slice(PREFIX.length).split(':');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new Error(
        'secret cannot be decrypted with the current BRIDGE_SECRET_KEY (wrong key or tampered value)',
      );
    }
  }
}

/** Injection token of the bridge's {@link SecretCipher}. */
export const SECRET_CIPHER = Symbol('SECRET_CIPHER');
