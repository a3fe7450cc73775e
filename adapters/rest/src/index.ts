export { restAdapterFactory, checkRestSpec } from './rest-adapter-factory';
export { RestAdapter } from './rest-adapter';
export { RestDialect } from './rest-dialect';
export type { RestMappingName, RestPollPage } from './rest-dialect';
export { restOptionsSchema } from './rest-options';
export type { RestAdapterOptions, RestOperation, RestOperations, RestMethod } from './rest-options';
export { mapHttpError, parseJsonBody, parseRetryAfter } from './rest-http-error';
export type { HeadersLike } from './rest-http-error';
export { verifyCallback, decodeCallbackBody, DEFAULT_SIGNATURE_HEADER } from './rest-callback';
