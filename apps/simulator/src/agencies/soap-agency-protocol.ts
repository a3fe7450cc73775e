import { createHash } from 'node:crypto';
import { ServerResponse } from 'node:http';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { str, VENDOR_A_NAMESPACE } from './soap-agency-dialect';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  ignoreDeclaration: true,
  // Vendor A lists: a single item must still come out as a list.
  isArray: (name) => ['TaiLieu', 'GiayTo', 'LePhi'].includes(name),
});
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

/** A request as vendor A's service reads it. */
export interface VendorARequest {
  operation: string;
  args: Record<string, unknown>;
  security?: Record<string, unknown>;
}

/** Reads a SOAP 1.1 request; throws with a vendor-style message when it is not one. */
export function readVendorARequest(xml: string): VendorARequest {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error('Không chấp nhận DOCTYPE');
  const doc = parser.parse(xml) as Record<string, Record<string, unknown>>;
  const body = doc.Envelope?.Body as Record<string, unknown> | undefined;
  if (!body) throw new Error('Yêu cầu không phải SOAP Envelope hợp lệ');
  const operation = Object.keys(body).find((k) => !k.startsWith('@_'));
  if (!operation) throw new Error('SOAP Body rỗng');
  const args = body[operation];
  const header = doc.Envelope?.Header as Record<string, unknown> | undefined;
  return {
    operation,
    args: typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {},
    security: header?.Security as Record<string, unknown> | undefined,
  };
}

const text = (v: unknown): string =>
  typeof v === 'object' && v !== null ? str((v as Record<string, unknown>)['#text']) : str(v);

/** Vendor A's own UsernameToken check (text or digest password). */
export function usernameTokenMatches(
  security: Record<string, unknown> | undefined,
  credentials: { username: string; password: string },
): boolean {
  const token = security?.UsernameToken as Record<string, unknown> | undefined;
  if (!token || text(token.Username) !== credentials.username) return false;
  const password = token.Password as Record<string, unknown> | string;
  const type = typeof password === 'object' ? str(password['@_Type']) : '';
  if (type.endsWith('#PasswordDigest')) {
    const nonce = Buffer.from(text(token.Nonce), 'base64');
    const digest = createHash('sha1')
      .update(Buffer.concat([nonce, Buffer.from(text(token.Created) + credentials.password, 'utf8')]))
      .digest('base64');
    return digest === text(password);
  }
  return text(password) === credentials.password;
}

function envelope(body: Record<string, unknown>): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    builder.build({
      'soap:Envelope': {
        '@_xmlns:soap': SOAP11,
        '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        'soap:Body': body,
      },
    })
  );
}

/** Answers `<{operation}Response><{operation}Result>…` as ASP.NET services do. */
export function sendResult(res: ServerResponse, operation: string, result: Record<string, unknown>): void {
  const xml = envelope({
    [`${operation}Response`]: { '@_xmlns': VENDOR_A_NAMESPACE, [`${operation}Result`]: result },
  });
  res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(xml);
}

/** A SOAP 1.1 fault; vendor A always answers faults with HTTP 500. */
export function sendFault(res: ServerResponse, code: string, message: string): void {
  const xml = envelope({ 'soap:Fault': { faultcode: code, faultstring: message } });
  res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' }).end(xml);
}

export function sendHtml(res: ServerResponse, status: number, title: string): void {
  res
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
    .end(`<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`);
}

export async function readRequestBody(req: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
