import { CallbackReplyFramer } from '@bridge/adapter-sdk';
import { buildRawEnvelope } from './soap-envelope';
import { buildSoapFault, faultHttpStatus, soapVersionFromContentType } from './soap-fault';

/** The namespace of the bridge's own answer element to a SOAP push. */
const BRIDGE_NS = 'urn:postal-one-stop-bridge';

/**
 * Answers a SOAP push in the version it came in: a `CallbackResult` envelope with the number of
 * changes accepted, or a Client/Sender (the push was wrong) or Server/Receiver (the bridge was)
 * fault with the status that goes with it, unless the bridge requires its own (403).
 */
export const soapCallbackReply: CallbackReplyFramer = (callback, result) => {
  const version = soapVersionFromContentType(callback.contentType);
  const contentType = version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
  if (result.ok) {
    const body = buildRawEnvelope(version, {
      'b:CallbackResult': { '@_xmlns:b': BRIDGE_NS, 'b:Accepted': result.accepted },
    });
    return { status: 200, contentType, body };
  }
  const code = result.blame === 'sender' ? 'Client' : 'Server';
  return {
    status: result.status ?? faultHttpStatus(version, code),
    contentType,
    body: buildSoapFault(version, code, result.message),
  };
};
