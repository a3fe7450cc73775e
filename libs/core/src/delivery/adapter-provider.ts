import { AgencyAdapter } from '@bridge/adapter-sdk';

/** Gives the current adapter instance of an agency (rebuilt when its spec changes). */
export interface AdapterProvider {
  /** Throws a PERMANENT IntegrationError when the agency has no usable adapter. */
  adapterFor(agencyCode: string): AgencyAdapter;
  /**
   * Loads now the agency files applied since the last look, instead of at the next periodic
   * refresh: a replay onto an agency file just fixed must not read the record with the old one.
   */
  refresh?(): Promise<void>;
}

export const ADAPTER_PROVIDER = Symbol('ADAPTER_PROVIDER');
