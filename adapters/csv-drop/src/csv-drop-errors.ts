import { IntegrationError } from '@bridge/adapter-sdk';

/** errno codes of a share that is away for now: unmounted, full, busy or unreachable. */
const TEMPORARY_CODES = new Set([
  'ENOENT',
  'ENOSPC',
  'EIO',
  'EBUSY',
  'EAGAIN',
  'ETIMEDOUT',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'ENOTCONN',
  'ESTALE',
  'ECONNRESET',
  'ECONNREFUSED',
  'EMFILE',
  'ENFILE',
]);

/** errno codes a person must fix: the bridge's account may not read or write the share. */
const ACCESS_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/** errno codes of a folder setting that is simply wrong. */
const PERMANENT_CODES = new Set(['ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EINVAL', 'ELOOP', 'EXDEV']);

/**
 * Classifies a file-system failure while talking to a CSV-drop agency. A missing folder is
 * TEMPORARY (a network share drops out and comes back); refused access is AUTH; a path that
 * can never work is PERMANENT. `what` says which step failed, for the dead letter.
 */
export function mapFileSystemError(error: unknown, what: string): IntegrationError {
  if (error instanceof IntegrationError) return error;
  const err = error as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const detail = `${what}: ${err?.message ?? String(error)}`;
  if (code && ACCESS_CODES.has(code))
    return IntegrationError.auth(detail, { vendorCode: code, cause: error });
  if (code && PERMANENT_CODES.has(code))
    return IntegrationError.permanent(detail, { vendorCode: code, cause: error });
  if (code && (TEMPORARY_CODES.has(code) || /^E[A-Z]+$/.test(code))) {
    return IntegrationError.temporary(detail, { vendorCode: code, cause: error });
  }
  return IntegrationError.permanent(detail, { vendorCode: code, cause: error });
}
