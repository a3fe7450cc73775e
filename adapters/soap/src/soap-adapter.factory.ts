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
