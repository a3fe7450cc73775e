export { igateLegacyAdapterFactory } from './igate-legacy-adapter.factory';
export { IgateLegacyAdapter } from './igate-legacy-adapter';
export { igateLegacyOptionsSchema, checkIgateLegacySpec } from './igate-legacy-options';
export type { IgateLegacyOptions } from './igate-legacy-options';
export { mapIgateResult, mapIgateHttpStatus } from './igate-legacy-errors';
export { parseAnswer, signedForm, encodeFields } from './igate-legacy-protocol';
export { IgateReplayDialect } from './igate-replay-dialect';
