import { AdapterFactory, AdapterSpec } from '@bridge/adapter-sdk';
import { IgateLegacyAdapter, igateLegacyOptionsSchema } from './igate-legacy-adapter';

export { IgateLegacyAdapter, igateLegacyOptionsSchema } from './igate-legacy-adapter';
export type { IgateLegacyOptions } from './igate-legacy-adapter';
export { mapIgateResult, mapIgateHttpStatus } from './igate-legacy-error';
export { parseAnswer, signedForm, encodeFields } from './igate-legacy-protocol';

/** Problems of an igate-legacy adapter section that its JSON Schema cannot see. */
function checkIgateLegacySpec(spec: AdapterSpec): string[] {
  const problems: string[] = [];
  if (spec.auth.type !== 'basic')
    problems.push(
      'adapter.auth.type: igate-legacy needs basic (username = app code, password = signing key)',
    );
  return problems;
}

/** The `igate-legacy` adapter kind: a custom, code-only adapter for the legacy iGate protocol. */
export const igateLegacyAdapterFactory: AdapterFactory = {
  optionsSchema: igateLegacyOptionsSchema,
  check: checkIgateLegacySpec,
  create: (_agency, spec) => new IgateLegacyAdapter(spec),
};
