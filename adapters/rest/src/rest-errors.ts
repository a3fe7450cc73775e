import { IntegrationError } from '@bridge/adapter-sdk';

/** Response headers as fetch gives them, or as a plain record (tests, the gateway). */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

/** Reads one header case-insensitively from either shape. */
export function headerValue(headers: HeadersLike, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * Parses a Retry-After header: delta-seconds or an HTTP date. Returns milliseconds from `now`,
 * never negative; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A short, single-line excerpt of what the agency sent, for error messages a person reads. */
export function excerpt(bodyText: string, max = 120): string {
  const flat = bodyText.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Keys under which JSON error bodies of the vendors we know carry their human message. */
const MESSAGE_KEYS = ['message', 'thongBao', 'moTa', 'error_description', 'detail', 'title', 'error', 'loi'];

/** The agency's own message from an error body: a known JSON field, else an excerpt of the text. */
export function agencyMessage(bodyText: string): string {
  try {
    const parsed = JSON.parse(bodyText) as unknown;
    if (parsed && typeof parsed === 'object') {
      for (const key of MESSAGE_KEYS) {
        const value = (parsed as Record<string, unknown>)[key];
        if (typeof value === 'string' && value.trim()) return value.trim().normalize('NFC');
      }
    }
  } catch {
    // not JSON: fall through to the raw excerpt
  }
  return excerpt(bodyText) || '(empty body)';
}

/**
 * Classifies an HTTP error answer of an agency (status ≥ 400):
 * 429, and 503 with Retry-After → RATE_LIMITED (retryAfterMs); 408 and 5xx → TEMPORARY;
 * 401/403 → AUTH; 404 → NOT_FOUND; other 4xx → PERMANENT with the agency's message.
 */
export function mapHttpError(
  status: number,
  headers: HeadersLike,
  bodyText: string,
  now = Date.now(),
): IntegrationError {
  const message = agencyMessage(bodyText);
  const vendorCode = String(status);
  const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'), now);
  if (status === 429 || (status === 503 && retryAfterMs !== undefined)) {
    const wait = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
    return IntegrationError.rateLimited(
      `agency is rate limiting: HTTP ${status}${wait}: ${message}`,
      retryAfterMs,
      {
        vendorCode,
      },
    );
  }
  if (status === 408 || status >= 500) {
    return IntegrationError.temporary(`agency answered HTTP ${status}: ${message}`, { vendorCode });
  }
  if (status === 401 || status === 403) {
    return IntegrationError.auth(`agency refused our credentials: HTTP ${status}: ${message}`, {
      vendorCode,
    });
  }
  if (status === 404)
    return IntegrationError.notFound(`agency does not know it: HTTP 404: ${message}`, { vendorCode });
  return IntegrationError.permanent(`agency refused the request: HTTP ${status}: ${message}`, { vendorCode });
}

/**
 * Parses a successful answer that must be JSON. An HTML error page from a proxy, an empty or a
 * truncated body means the agency side is unwell, not that our request was wrong → TEMPORARY.
 */
export function parseJsonBody(status: number, headers: HeadersLike, bodyText: string): unknown {
  const contentType = headerValue(headers, 'content-type') ?? '(no content type)';
  if (bodyText.trim() === '') {
    throw IntegrationError.temporary(
      `agency answered HTTP ${status} with an empty body where JSON was expected`,
      {
        vendorCode: String(status),
      },
    );
  }
  try {
    return JSON.parse(bodyText) as unknown;
  } catch (error) {
    const what = /<html|<!doctype/i.test(bodyText) ? 'an HTML page' : `${contentType} that is not valid JSON`;
    throw IntegrationError.temporary(
      `agency answered HTTP ${status} with ${what} where JSON was expected: "${excerpt(bodyText, 80)}"`,
      { vendorCode: String(status), cause: error },
    );
  }
}
