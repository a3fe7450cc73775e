import { buildRawEnvelope, SoapVersion } from './soap-envelope';

/** Fault codes in either version's words; each is translated to the other version's when needed. */
export type SoapFaultCode =
  'Client' | 'Server' | 'Sender' | 'Receiver' | 'VersionMismatch' | 'MustUnderstand';

const TO_11: Record<SoapFaultCode, string> = {
  Client: 'Client',
  Sender: 'Client',
  Server: 'Server',
  Receiver: 'Server',
  VersionMismatch: 'VersionMismatch',
  MustUnderstand: 'MustUnderstand',
};
const TO_12: Record<SoapFaultCode, string> = {
  Client: 'Sender',
  Sender: 'Sender',
  Server: 'Receiver',
  Receiver: 'Receiver',
  VersionMismatch: 'VersionMismatch',
  MustUnderstand: 'MustUnderstand',
};

/** HTTP status that goes with a fault: 1.1 always 500; 1.2 Sender 400, the rest 500. */
export function faultHttpStatus(version: SoapVersion, code: SoapFaultCode): number {
  return version === '1.2' && TO_12[code] === 'Sender' ? 400 : 500;
}

/**
 * Builds a complete fault envelope, e.g. to answer an agency's push that could not be used
 * (`Client`/`Sender` when the push itself was wrong, `Server`/`Receiver` when the bridge was).
 */
export function buildSoapFault(version: SoapVersion, code: SoapFaultCode, message: string): string {
  const fault =
    version === '1.1'
      ? { faultcode: `soap:${TO_11[code]}`, faultstring: message }
      : {
          'soap:Code': { 'soap:Value': `soap:${TO_12[code]}` },
          'soap:Reason': { 'soap:Text': { '@_xml:lang': 'vi', '#text': message } },
        };
  return buildRawEnvelope(version, { 'soap:Fault': fault });
}

/** Builds a reply envelope with one element `name` in `namespace`, e.g. `CapNhatTrangThaiResponse`. */
export function buildSoapResponse(
  version: SoapVersion,
  namespace: string,
  name: string,
  content: Record<string, unknown> = {},
): string {
  return buildRawEnvelope(
    version,
    { [`tns:${name}`]: { '@_xmlns': namespace, ...content } },
    { '@_xmlns:tns': namespace },
  );
}

/** Reads the SOAP version of an incoming request from its Content-Type (1.2 is application/soap+xml). */
export function soapVersionFromContentType(contentType: string | undefined): SoapVersion {
  return contentType?.toLowerCase().includes('application/soap+xml') ? '1.2' : '1.1';
}
