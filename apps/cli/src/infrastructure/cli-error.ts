/**
 * A failure the person at the terminal can act on: the message says what went wrong and, where
 * it helps, what to do. Printed without a stack trace (unless `--verbose`); the process exits
 * with `exitCode`.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a PostgreSQL URL points, as `host:port`, for error messages (no credentials). */
export function databaseAddress(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || '127.0.0.1'}:${parsed.port || '5432'}`;
  } catch {
    return 'an unparsable DATABASE_URL';
  }
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is PostgreSQL running?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
};

interface PgLikeError {
  code?: string;
  message?: string;
  driverError?: { code?: string; message?: string };
  errors?: unknown[];
}

/**
 * Turns an error of the pg driver or TypeORM into a {@link CliError} naming the database and
 * the fix, or returns undefined when the error is not about reaching the database.
 */
export function databaseError(error: unknown, url: string): CliError | undefined {
  const e = (error ?? {}) as PgLikeError;
  const code = e.code ?? e.driverError?.code;
  const message = e.driverError?.message ?? e.message ?? '';
  const at = databaseAddress(url);
  if (code && CONNECTION_CODES[code])
    return new CliError(`cannot reach PostgreSQL at ${at}: ${CONNECTION_CODES[code]}`);
  if (/timeout expired|Connection terminated/i.test(message)) {
    return new CliError(`cannot reach PostgreSQL at ${at}: ${message}`);
  }
  if (code === '3D000') {
    return new CliError(`cannot reach PostgreSQL at ${at}: ${message}; run \`bridge migrate\` to create it`);
  }
  if (code === '28P01' || code === '28000') {
    return new CliError(
      `cannot reach PostgreSQL at ${at}: ${message}; check the credentials in DATABASE_URL`,
    );
  }
  if (code === '42P01') {
    return new CliError(
      `the database at ${at} is not set up for the bridge (${message}); run \`bridge migrate\``,
    );
  }
  return undefined;
}
