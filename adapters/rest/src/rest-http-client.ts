import { request as httpRequest } from 'undici';
import {
  answerText,
  CallContext,
  DEFAULT_ADAPTER_LIMITS,
  IntegrationError,
  readBoundedAnswer,
  toIntegrationError,
} from '@bridge/adapter-sdk';
import { headerValue, HeadersLike } from './rest-errors';
import { RestMethod } from './rest-options';

/** One HTTP exchange with an agency. */
export interface RestRequest {
  /** Name in the message log: `submit`, `lookup`, `login`, `token`… */
  operation: string;
  method: RestMethod;
  url: string;
  headers?: Record<string, string>;
  /** JSON body (serialized here) or a ready form body. */
  json?: unknown;
  form?: URLSearchParams;
  /** What the message log keeps instead of the body, when the body carries a secret. */
  recordedBody?: string;
  /** Secret values (tokens) to mask wherever they appear in the recorded response. */
  secretsInResponse?: (body: string) => string[];
}

/** An agency's answer, whatever its status. */
export interface RestResponse {
  status: number;
  headers: HeadersLike;
  bodyText: string;
}

const SECRET_QUERY = /(key|token|secret|password|passwd|signature|sig|auth)/i;

/** The URL as the message log may keep it: no user info, secret-looking query values masked. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_QUERY.test(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** Replaces every occurrence of each secret value by `***`. */
export function maskSecrets(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, s) => out.split(s).join('***'), text);
}

/**
 * Sends JSON over HTTP with the agency's timeout and records both directions in the message
 * log. Headers are never recorded (they carry Authorization). Network failures and timeouts
 * become TEMPORARY; an answer over `maxResponseBytes` is PERMANENT (reading stops at the cap);
 * any HTTP status is returned for the caller to classify.
 */
export class RestHttpClient {
  constructor(
    private readonly timeoutMs: number,
    private readonly extraHeaders: Record<string, string> = {},
    private readonly maxResponseBytes = DEFAULT_ADAPTER_LIMITS.maxResponseBytes,
  ) {}

  async send(request: RestRequest, ctx: CallContext): Promise<RestResponse> {
    const body = request.form
      ? request.form.toString()
      : request.json === undefined
        ? undefined
        : JSON.stringify(request.json);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.extraHeaders,
      ...request.headers,
    };
    if (request.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    else if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
    const endpoint = `${request.method} ${redactUrl(request.url)}`;
    ctx.record({
      direction: 'outbound',
      operation: request.operation,
      endpoint,
      body: request.recordedBody ?? body ?? '',
    });

    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
    const started = Date.now();
    let status: number;
    let responseHeaders: HeadersLike;
    let bodyText: string;
    try {
      // undici's own request API (the engine under fetch, without its web streams): keep-alive
      // connections per origin, redirects not followed, the answer read up to the cap.
      const response = await httpRequest(request.url, {
        method: request.method,
        headers,
        body,
        signal,
      });
      status = response.statusCode;
      responseHeaders = response.headers;
      const where = `${request.operation} ${endpoint}`;
      const declared = headerValue(response.headers, 'content-length');
      bodyText = answerText(await readBoundedAnswer(response.body, this.maxResponseBytes, where, declared));
    } catch (error) {
      const failure =
        error instanceof IntegrationError ? error : this.failure(error, timeout.aborted, request);
      ctx.record({
        direction: 'inbound',
        operation: request.operation,
        endpoint,
        status: 'error',
        body: failure.message,
        durationMs: Date.now() - started,
      });
      throw failure;
    }
    const secrets = request.secretsInResponse?.(bodyText) ?? [];
    ctx.record({
      direction: 'inbound',
      operation: request.operation,
      endpoint,
      status,
      body: maskSecrets(bodyText, secrets),
      durationMs: Date.now() - started,
    });
    return { status, headers: responseHeaders, bodyText };
  }

  private failure(error: unknown, timedOut: boolean, request: RestRequest): IntegrationError {
    const where = `${request.operation} ${request.method} ${redactUrl(request.url)}`;
    if (timedOut) {
      return IntegrationError.temporary(`agency did not answer within ${this.timeoutMs} ms (${where})`, {
        vendorCode: 'TIMEOUT',
        cause: error,
      });
    }
    const mapped = toIntegrationError(error);
    // A socket or protocol failure (a refused connection, an answer that is not HTTP) carries a
    // code of the system or of undici: the agency is unreachable for now, not refusing.
    const code = (error as { code?: unknown }).code;
    if (!mapped.transient && typeof code === 'string') {
      return IntegrationError.temporary(`agency unreachable (${where}): ${code}`, {
        vendorCode: code,
        cause: error,
      });
    }
    return mapped.transient
      ? IntegrationError.temporary(`${mapped.message} (${where})`, {
          vendorCode: mapped.vendorCode,
          cause: error,
        })
      : mapped;
  }
}
