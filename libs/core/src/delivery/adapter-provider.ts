import { AgencyAdapter } from '@bridge/adapter-sdk';

/** Gives the current adapter instance of an agency (rebuilt when its spec changes). */
export interface AdapterProvider {
  /** Throws a PERMANENT IntegrationError when the agency has no usable adapter. */
  adapterFor(agencyCode: string): AgencyAdapter;
}

export const ADAPTER_PROVIDER = Symbol('ADAPTER_PROVIDER');
