import { AdapterFactory } from '@bridge/adapter-sdk';
import { SoapAdapter } from './soap-adapter';
import { soapCallbackReply } from './soap-callback-reply';
import { checkSoapSpec, SoapAdapterOptions, soapOptionsSchema } from './soap-options';

/** The `soap` adapter kind: SOAP 1.1/1.2 agencies, WS-Security, JSONata mappings. */
export const soapAdapterFactory: AdapterFactory = {
  optionsSchema: soapOptionsSchema,
  check: checkSoapSpec,
  looksUpStatus: true,
  callbackReply: soapCallbackReply,
  // Without a probe operation the adapter fetches the service's WSDL (SoapAdapter.probe).
  probeOf: (options) => {
    const name = (options as unknown as SoapAdapterOptions).operations?.probe?.name;
    return name ? { operation: name, fallback: null } : { operation: null, fallback: 'wsdl' };
  },
  create: (agency, spec, deps) => new SoapAdapter(agency, spec, deps),
};
