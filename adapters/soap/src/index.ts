import { AdapterFactory } from '@bridge/adapter-sdk';
import { SoapAdapter } from './soap-adapter';
import { soapCallbackReply } from './soap-callback-reply';
import { checkSoapSpec, soapOptionsSchema } from './soap-options';

/** The `soap` adapter kind: SOAP 1.1/1.2 agencies, WS-Security, JSONata mappings. */
export const soapAdapterFactory: AdapterFactory = {
  optionsSchema: soapOptionsSchema,
  check: checkSoapSpec,
  looksUpStatus: true,
  callbackReply: soapCallbackReply,
  create: (agency, spec, deps) => new SoapAdapter(agency, spec, deps),
};

export { SoapAdapter } from './soap-adapter';
export * from './soap-options';
export * from './soap-envelope';
export * from './soap-fault';
export * from './soap-error-mapping';
export * from './safe-xml-reader';
export * from './unsafe-xml-error';
export * from './ws-security';
export { importWsdl } from './wsdl-import';
export type { WsdlImportResult, WsdlOperationGuess } from './wsdl-import';
export { SoapDialect } from './soap-dialect';
export type { SoapMappingName, SoapPollPage } from './soap-dialect';
export { redactEnvelope, redactEndpoint } from './soap-transport';
