import { hkdfSync } from 'node:crypto';
import { CONFIG_DEFAULTS } from '@bridge/config';

// Fixed HKDF salt and context: changing either changes every key derived from a secret.
const SALT = 'postal-one-stop-bridge';
const INFO = 'message-log chain v2';

/**
 * The key of the message-log chain and of its checkpoints (HMAC-SHA256). It is never stored in
 * the database, so write access to the database is not enough to rewrite the log unnoticed.
 * BRIDGE_AUDIT_KEY (at least 32 characters) when set — so that the audit key can be held apart
 * from the credential key — else derived with HKDF-SHA256 from BRIDGE_SECRET_KEY (the
 * development default when that is unset, as the configuration does).
 */
export function auditKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  const own = env.BRIDGE_AUDIT_KEY?.trim();
  if (own !== undefined && own !== '' && own.length < 32)
    throw new Error('BRIDGE_AUDIT_KEY must be at least 32 characters long');
  const secret = own || env.BRIDGE_SECRET_KEY || CONFIG_DEFAULTS.BRIDGE_SECRET_KEY;
  return Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
}
