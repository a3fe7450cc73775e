import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  AdapterSpec,
  AdapterStore,
  AgencyStatusChange,
  CallContext,
  InboundCallback,
  IntegrationError,
} from '@bridge/adapter-sdk';
import { parseSafeXml } from './safe-xml-reader';
import { SoapDialect } from './soap-dialect';
import { envelopeNamespaceProblem, readEnvelope } from './soap-envelope';
import { SoapAdapterOptions } from './soap-options';
import { redactEnvelope } from './soap-transport';
import { UnsafeXmlError } from './unsafe-xml-error';
import { verifyUsernameToken } from './ws-security';

/** What decoding an agency's SOAP push needs. */
export interface SoapCallbackSettings {
  agencyCode: string;
  spec: AdapterSpec;
  options: SoapAdapterOptions;
  store?: AdapterStore;
}

/** How far `Created` may lie from now unless the agency file says otherwise. */
const TOKEN_WINDOW_MS = 5 * 60_000;

function checkHmac(callback: InboundCallback, secret: string, header = 'x-signature'): void {
  const given = (callback.headers[header.toLowerCase()] ?? '').replace(/^sha256=/, '');
  const wanted = createHmac('sha256', secret).update(callback.rawBody).digest('hex');
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(wanted, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw IntegrationError.auth(`the push's ${header} signature does not match its body`);
  }
}

/**
 * Decodes an agency's SOAP push into status changes.
 *
 * Authentication, in layers: the gateway has already checked the agency's bearer key
 * (`callbackAuth: agency-key`); `callbackAuth: hmac-sha256` also checks a body signature; with
 * `options.callbackUsernameToken` the envelope must carry a UsernameToken matching
 * `adapter.auth` (ws-security), created within the window, with a nonce never seen before.
 * Each record (by default the content of the Body's first element) goes through `statusChange`.
 */
export async function decodeSoapCallback(
  callback: InboundCallback,
  settings: SoapCallbackSettings,
  dialect: SoapDialect,
  ctx: CallContext,
): Promise<AgencyStatusChange[]> {
  const { spec, options } = settings;
  ctx.record({
    direction: 'inbound',
    operation: 'callback',
    body: redactEnvelope(callback.rawBody.toString('utf8')),
  });
  if (spec.callbackAuth?.type === 'hmac-sha256')
    checkHmac(callback, spec.callbackAuth.secret, spec.callbackAuth.header);
  let envelope;
  try {
    const document = parseSafeXml(callback.rawBody, options.xmlLimits);
    const wrongNamespace = envelopeNamespaceProblem(callback.rawBody.toString('utf8'));
    if (wrongNamespace) throw IntegrationError.permanent(`the push was refused: ${wrongNamespace}`);
    envelope = readEnvelope(document);
  } catch (error) {
    if (error instanceof UnsafeXmlError)
      throw IntegrationError.permanent(`the push was refused: ${error.message}`);
    throw error;
  }
  if (options.callbackUsernameToken) {
    if (spec.auth.type !== 'ws-security') {
      throw IntegrationError.permanent('callbackUsernameToken needs auth.type ws-security');
    }
    const window = options.callbackTokenWindowMs ?? TOKEN_WINDOW_MS;
    const check = verifyUsernameToken(envelope.header, spec.auth, new Date(), window);
    if (!check.ok) throw IntegrationError.auth(`the push's WS-Security token was refused: ${check.reason}`);
    if (!settings.store)
      throw IntegrationError.temporary('WS-Security nonces cannot be checked: the adapter has no store');
    // Created may lie up to one window ahead, so a token stays acceptable for two windows:
    // its nonce is kept that long (in Redis, shared by every gateway).
    const digest = createHash('sha256').update(check.nonce!).digest('hex');
    const key = `soap:callback-nonce:${settings.agencyCode}:${digest}`;
    const fresh = await settings.store.set(key, '1', { ttlMs: 2 * window, onlyIfAbsent: true });
    if (!fresh) throw IntegrationError.auth("the push's WS-Security nonce was already used (a replay)");
  }
  const records = await dialect.callbackRecords(envelope.body);
  if (records.length === 0) throw IntegrationError.permanent('the push carries no status record');
  const changes: AgencyStatusChange[] = [];
  for (const record of records) changes.push(await dialect.readStatusRecord(record));
  return changes;
}
