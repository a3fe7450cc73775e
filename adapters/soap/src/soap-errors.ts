import { IntegrationError } from '@bridge/adapter-sdk';
import { SoapFault } from './soap-envelope';
import { UnsafeXmlError } from './unsafe-xml-error';

/** What the error mapping knows of an HTTP answer. */
export interface HttpAnswer {
  status: number;
  contentType?: string;
  retryAfter?: string | null;
}

const AUTH_FAULTS = /FailedAuthentication|InvalidSecurity|FailedCheck|AuthenticationFailure|Unauthori[sz]ed/i;

/** Parses Retry-After (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * HTTP statuses that speak for themselves, whatever the body: 401/403 AUTH, 429 and 503 with
 * Retry-After RATE_LIMITED. Returns undefined when the body must decide.
 */
function overridingHttpError(answer: HttpAnswer, what: string): IntegrationError | undefined {
  const vendorCode = `HTTP ${answer.status}`;
  if (answer.status === 401 || answer.status === 403) {
    return IntegrationError.auth(`${what}: the agency refused the credentials (${vendorCode})`, {
      vendorCode,
    });
  }
  const wait = retryAfterMs(answer.retryAfter);
  if (answer.status === 429 || (answer.status === 503 && wait !== undefined)) {
    return IntegrationError.rateLimited(`${what}: the agency asks to slow down (${vendorCode})`, wait, {
      vendorCode,
    });
  }
  return undefined;
}

/**
 * Maps a SOAP fault to the error vocabulary: Client/Sender → PERMANENT, Server/Receiver →
 * TEMPORARY, WS-Security failures → AUTH, faults naming one of `notFoundFaults` → NOT_FOUND,
 * VersionMismatch/MustUnderstand → PERMANENT; a vendor code of its own follows the HTTP status.
 */
export function mapSoapFault(
  fault: SoapFault,
  answer: HttpAnswer,
  what: string,
  notFoundFaults: readonly string[] = [],
): IntegrationError {
  const overriding = overridingHttpError(answer, what);
  if (overriding) return overriding;
  const vendorCode = fault.subcode ? `${fault.code}.${fault.subcode}` : fault.code;
  const message = `${what}: SOAP fault ${vendorCode}: ${fault.message}`;
  const options = { vendorCode };
  if (AUTH_FAULTS.test(fault.code) || AUTH_FAULTS.test(fault.subcode ?? ''))
    return IntegrationError.auth(message, options);
  const haystack = `${vendorCode} ${fault.message}`;
  if (notFoundFaults.some((marker) => haystack.includes(marker)))
    return IntegrationError.notFound(message, options);
  switch (fault.code) {
    case 'Client':
    case 'Sender':
    case 'VersionMismatch':
    case 'MustUnderstand':
    case 'DataEncodingUnknown':
      return IntegrationError.permanent(message, options);
    case 'Server':
    case 'Receiver':
      return IntegrationError.temporary(message, options);
    default:
      return answer.status >= 500
        ? IntegrationError.temporary(message, options)
        : IntegrationError.permanent(message, options);
  }
}

/** Maps an HTTP failure that carried no SOAP fault. */
export function mapHttpFailure(answer: HttpAnswer, what: string, detail = ''): IntegrationError {
  const overriding = overridingHttpError(answer, what);
  if (overriding) return overriding;
  const vendorCode = `HTTP ${answer.status}`;
  const message = `${what}: the agency answered ${vendorCode} without a SOAP fault${detail ? ` (${detail})` : ''}`;
  if (answer.status >= 500 || answer.status === 408)
    return IntegrationError.temporary(message, { vendorCode });
  if (answer.status === 404) {
    return IntegrationError.notFound(`${message}; check the endpoint URL`, { vendorCode });
  }
  return IntegrationError.permanent(message, { vendorCode });
}

/**
 * A 2xx answer that is not a usable SOAP envelope. Garbled, truncated, empty or HTML answers
 * are TEMPORARY (a proxy or a restarting server); refusals on safety grounds (DOCTYPE, too big,
 * too deep, foreign encoding) are PERMANENT: retrying gets the same document.
 */
export function mapUnreadableResponse(
  answer: HttpAnswer,
  what: string,
  problem: UnsafeXmlError,
): IntegrationError {
  const vendorCode = `HTTP ${answer.status}`;
  const message = `${what}: unusable answer (${vendorCode}, ${answer.contentType ?? 'no content type'}): ${problem.message}`;
  const permanent = ['doctype', 'too-big', 'too-deep', 'encoding'].includes(problem.reason);
  return permanent
    ? IntegrationError.permanent(message, { vendorCode, cause: problem })
    : IntegrationError.temporary(message, { vendorCode, cause: problem });
}

/** The content type is not XML at all (an HTML error page, JSON from a gateway...). */
export function mapWrongContentType(answer: HttpAnswer, what: string, body: string): IntegrationError {
  const title = /<title[^>]*>([^<]{0,120})/i.exec(body)?.[1]?.trim();
  const looksHtml = /html/i.test(answer.contentType ?? '') || /^\s*(<!doctype html|<html)/i.test(body);
  const kind = looksHtml ? `an HTML page${title ? ` "${title}"` : ''}` : `content type ${answer.contentType}`;
  return IntegrationError.temporary(
    `${what}: the agency answered ${kind} instead of a SOAP envelope (HTTP ${answer.status})`,
    { vendorCode: `HTTP ${answer.status}` },
  );
}
