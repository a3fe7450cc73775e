export * from './integration-error';
export * from './agency-adapter';
export * from './adapter-spec';
export * from './adapter-factory';
export * from './mapping-engine';
export * from './conformance/conformance-checks';
export * from './conformance/run-conformance';
export * from './conformance/describe-adapter-conformance';
