import { AdapterFactory } from '@bridge/adapter-sdk';
import { IgateLegacyAdapter } from './igate-legacy-adapter';
import { checkIgateLegacySpec, igateLegacyOptionsSchema } from './igate-legacy-options';

/** The `igate-legacy` adapter kind: a custom, code-only adapter for the legacy iGate protocol. */
export const igateLegacyAdapterFactory: AdapterFactory = {
  optionsSchema: igateLegacyOptionsSchema,
  check: checkIgateLegacySpec,
  create: (_agency, spec) => new IgateLegacyAdapter(spec),
};
