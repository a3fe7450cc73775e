import {
  AdapterAuth,
  CallContext,
  IntegrationError,
  readBoundedAnswer,
  toIntegrationError,
} from '@bridge/adapter-sdk';
import { decodeUtf8Strict, DEFAULT_XML_LIMITS, parseSafeXml, XmlLimits } from './safe-xml-reader';
import { ParsedEnvelope, readEnvelope, SoapVersion } from './soap-envelope';
import {
  HttpAnswer,
  mapHttpFailure,
  mapSoapFault,
  mapUnreadableResponse,
  mapWrongContentType,
} from './soap-errors';
import { SoapOperation } from './soap-options';
import { UnsafeXmlError } from './unsafe-xml-error';

/** What the transport needs to reach one agency. */
export interface SoapTransportSettings {
  endpoint: string;
  version: SoapVersion;
  timeoutMs: number;
  auth: AdapterAuth;
  limits?: XmlLimits;
  notFoundFaults?: string[];
}

/** Hides credentials in what goes to the message log: UsernameToken passwords and nonces. */
export function redactEnvelope(xml: string): string {
  // Most messages carry no token at all: two substring searches are cheaper than the pattern.
  if (!xml.includes('Password') && !xml.includes('Nonce')) return xml;
  return xml.replace(/(<(?:[\w.-]+:)?(Password|Nonce)\b[^>]*>)[^<]*(<\/)/g, '$1***$3');
}

/** The endpoint as the message log shows it: no user info, secret-looking query values hidden. */
export function redactEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    for (const key of [...url.searchParams.keys()]) {
      if (/key|token|secret|pass|sig/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return '(invalid endpoint)';
  }
}

function authHeaders(auth: AdapterAuth): Record<string, string> {
  switch (auth.type) {
    case 'basic':
      return {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      };
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'api-key':
      return { [auth.header.toLowerCase()]: auth.key };
    default:
      return {};
  }
}

/**
 * Posts envelopes to one agency and turns every answer into either a parsed envelope or an
 * {@link IntegrationError}. Each request and answer is recorded, credentials redacted.
 */
export class SoapTransport {
  private readonly recordedEndpoint: string;
  private readonly url: string;
  private readonly baseHeaders: Record<string, string>;
  private readonly limits: Required<XmlLimits>;

  constructor(private readonly settings: SoapTransportSettings) {
    this.recordedEndpoint = redactEndpoint(settings.endpoint);
    // fetch refuses URLs with user info (and would echo them in its error): move it to a header.
    let url: URL;
    try {
      url = new URL(settings.endpoint);
    } catch {
      throw IntegrationError.permanent(`adapter.endpoint "${this.recordedEndpoint}" is not a URL`);
    }
    const userInfo = url.username
      ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
      : undefined;
    url.username = '';
    url.password = '';
    this.url = url.toString();
    this.baseHeaders = {
      accept: 'application/soap+xml, text/xml',
      ...(userInfo ? { authorization: `Basic ${Buffer.from(userInfo).toString('base64')}` } : {}),
      ...authHeaders(settings.auth),
    };
    this.limits = { ...DEFAULT_XML_LIMITS, ...settings.limits };
  }

  private headersFor(operation: SoapOperation): Record<string, string> {
    const action = operation.soapAction ?? '';
    return this.settings.version === '1.1'
      ? { ...this.baseHeaders, 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` }
      : {
          ...this.baseHeaders,
          'content-type': `application/soap+xml; charset=utf-8${action ? `; action="${action}"` : ''}`,
        };
  }

  private signal(ctx: CallContext): AbortSignal {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    return ctx.signal ? AbortSignal.any([timeout, ctx.signal]) : timeout;
  }

  /** Sends one request; `role` names it in the message log and in errors. */
  async call(
    role: string,
    operation: SoapOperation,
    envelope: string,
    ctx: CallContext,
  ): Promise<ParsedEnvelope> {
    const what = `${role} (${operation.name})`;
    ctx.record({
      direction: 'outbound',
      operation: role,
      endpoint: this.recordedEndpoint,
      body: redactEnvelope(envelope),
    });
    const started = Date.now();
    let response: Response;
    let raw: Buffer;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: this.headersFor(operation),
        body: envelope,
        signal: this.signal(ctx),
      });
      const body = response.body as AsyncIterable<Uint8Array> | null;
      raw = await readBoundedAnswer(body, this.limits.maxBytes, what, response.headers.get('content-length'));
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError') {
        throw IntegrationError.temporary(`${what}: no answer within ${this.settings.timeoutMs} ms`, {
          cause: error,
        });
      }
      if (error instanceof IntegrationError) throw error;
      const mapped = toIntegrationError(error);
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
      const message = `${what}: could not reach ${this.recordedEndpoint}: ${cause.split(this.url).join(this.recordedEndpoint)}`;
      throw new IntegrationError(mapped.code, message, { vendorCode: mapped.vendorCode, cause: error });
    }
    // Decoded once, strictly: the same text is logged and parsed.
    let text: string | UnsafeXmlError;
    try {
      text = decodeUtf8Strict(raw);
    } catch (error) {
      text = error as UnsafeXmlError;
    }
    const answer: HttpAnswer = {
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      retryAfter: response.headers.get('retry-after'),
    };
    ctx.record({
      direction: 'inbound',
      operation: role,
      endpoint: this.recordedEndpoint,
      status: response.status,
      body: redactEnvelope(typeof text === 'string' ? text : raw.toString('utf8')),
      durationMs: Date.now() - started,
    });
    return this.interpret(answer, raw, text, what);
  }

  private interpret(
    answer: HttpAnswer,
    raw: Buffer,
    decoded: string | UnsafeXmlError,
    what: string,
  ): ParsedEnvelope {
    const failed = answer.status >= 300;
    const readable = typeof decoded === 'string' ? decoded : raw.toString('utf8');
    if (!/\S/.test(readable)) {
      if (failed) throw mapHttpFailure(answer, what, 'empty body');
      throw IntegrationError.temporary(
        `${what}: the agency answered HTTP ${answer.status} with an empty body`,
      );
    }
    if (answer.contentType !== undefined && !/xml/i.test(answer.contentType)) {
      if (failed) throw mapHttpFailure(answer, what, `content type ${answer.contentType}`);
      throw mapWrongContentType(answer, what, readable);
    }
    if (decoded instanceof UnsafeXmlError) {
      if (failed) throw mapHttpFailure(answer, what, decoded.message);
      throw mapUnreadableResponse(answer, what, decoded);
    }
    let envelope: ParsedEnvelope;
    try {
      envelope = readEnvelope(parseSafeXml(decoded, this.limits));
    } catch (error) {
      if (!(error instanceof UnsafeXmlError)) throw toIntegrationError(error);
      if (failed) throw mapHttpFailure(answer, what, error.message);
      throw mapUnreadableResponse(answer, what, error);
    }
    if (envelope.fault) throw mapSoapFault(envelope.fault, answer, what, this.settings.notFoundFaults);
    if (failed) throw mapHttpFailure(answer, what);
    return envelope;
  }
}
