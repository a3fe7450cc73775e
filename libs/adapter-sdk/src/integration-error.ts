/**
 * The one error vocabulary of every adapter. Queue code decides retry, delay or dead letter
 * from the code alone, in one place (libs/queues), never from vendor specifics.
 */
export enum IntegrationErrorCode {
  /** Timeouts, 5xx, refused connections, SOAP Server faults: try again later. */
  TEMPORARY = 'TEMPORARY',
  /** Validation errors, 4xx, SOAP Client faults, mapping errors: retrying will not help. */
  PERMANENT = 'PERMANENT',
  /** Credentials refused: a person must fix the agency's configuration. */
  AUTH = 'AUTH',
  /** The agency does not know the dossier. */
  NOT_FOUND = 'NOT_FOUND',
  /** The agency asks us to slow down; `retryAfterMs` says for how long when it told us. */
  RATE_LIMITED = 'RATE_LIMITED',
}

export interface IntegrationErrorOptions {
  /** For RATE_LIMITED (and TEMPORARY with a Retry-After): how long to wait before retrying. */
  retryAfterMs?: number;
  /** The agency's own code or HTTP status, kept for the dead letter and grouping. */
  vendorCode?: string;
  cause?: unknown;
}

/** An agency call failed; `code` says what the bridge should do about it. */
export class IntegrationError extends Error {
  readonly retryAfterMs?: number;
  readonly vendorCode?: string;

  constructor(
    readonly code: IntegrationErrorCode,
    message: string,
    options: IntegrationErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'IntegrationError';
    this.retryAfterMs = options.retryAfterMs;
    this.vendorCode = options.vendorCode;
  }

  /** Whether waiting and trying again may succeed. */
  get transient(): boolean {
    return this.code === IntegrationErrorCode.TEMPORARY || this.code === IntegrationErrorCode.RATE_LIMITED;
  }

  static temporary(message: string, options?: IntegrationErrorOptions) {
    return new IntegrationError(IntegrationErrorCode.TEMPORARY, message, options);
  }
  static permanent(message: string, options?: IntegrationErrorOptions) {
    return new IntegrationError(IntegrationErrorCode.PERMANENT, message, options);
  }
  static auth(message: string, options?: IntegrationErrorOptions) {
    return new IntegrationError(IntegrationErrorCode.AUTH, message, options);
  }
  static notFound(message: string, options?: IntegrationErrorOptions) {
    return new IntegrationError(IntegrationErrorCode.NOT_FOUND, message, options);
  }
  static rateLimited(message: string, retryAfterMs?: number, options?: IntegrationErrorOptions) {
    return new IntegrationError(IntegrationErrorCode.RATE_LIMITED, message, { ...options, retryAfterMs });
  }
}

/**
 * Classifies anything thrown during an agency call. Errors that are not IntegrationErrors are
 * the bridge's own bugs or network failures: network failures retry, the rest are permanent.
 */
export function toIntegrationError(error: unknown): IntegrationError {
  if (error instanceof IntegrationError) return error;
  const err = error as { code?: string; name?: string; message?: string };
  const networkCodes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EAI_AGAIN',
    'ENOTFOUND',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
  ];
  const code = err?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  if ((code && networkCodes.includes(code)) || err?.name === 'AbortError' || err?.name === 'TimeoutError') {
    return IntegrationError.temporary(`network failure: ${err.message ?? code}`, {
      vendorCode: code,
      cause: error,
    });
  }
  return IntegrationError.permanent(`unexpected error: ${err?.message ?? String(error)}`, { cause: error });
}
