/** An HTTP method the REST adapter may use for an operation. */
export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One agency operation: a method and a path relative to `adapter.endpoint`. The path may hold
 * placeholders filled URL-encoded: `{idempotencyKey}` (= `{bridgeId}`), `{itemId}`,
 * `{agencyDossierCode}`, `{dossierRef}` (the agency's code once known, before that the id
 * `lookupBy` names) and `{cursor}`.
 */
export interface RestOperation {
  method: RestMethod;
  path: string;
}

/**
 * The operations of a REST agency. `poll` is absent when the agency pushes or is looked up;
 * without `supplement` the post's supplementary documents become an operations task; without
 * `probe` health is checked with the look-up (a miss still proves the agency answers).
 */
export interface RestOperations {
  submit: RestOperation;
  lookup: RestOperation;
  supplement?: RestOperation;
  delivered: RestOperation;
  poll?: RestOperation;
  probe?: RestOperation;
}

/** The `adapter.options` of a `rest` agency. */
export interface RestAdapterOptions {
  operations: RestOperations;
  /** Extra headers sent on every call (never secrets: those belong in `auth`). */
  headers?: Record<string, string>;
  /** Header carrying the idempotency key on submit, supplement and delivery (e.g. `Idempotency-Key`). */
  idempotencyHeader?: string;
  /** The agency cannot de-duplicate: look the bridge id up before filing and reuse the receipt. */
  lookupBeforeSubmit?: boolean;
  /** Which bridge id fills `{dossierRef}` before the agency gave its own code (default `bridgeId`). */
  lookupBy?: 'bridgeId' | 'itemId';
  /** Session login: field names of the login body and how long a token lives when unsaid. */
  login?: { usernameField?: string; passwordField?: string; tokenTtlMs?: number };
}

const operationSchema = {
  type: 'object',
  required: ['method', 'path'],
  additionalProperties: false,
  properties: {
    method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
    path: {
      type: 'string',
      pattern: '^/',
      description:
        'relative to adapter.endpoint; {idempotencyKey}, {bridgeId}, {itemId}, {agencyDossierCode}, {dossierRef}, {cursor}',
    },
  },
} as const;

/** JSON Schema of a `rest` agency's `adapter.options`. */
export const restOptionsSchema = {
  type: 'object',
  required: ['operations'],
  additionalProperties: false,
  properties: {
    operations: {
      type: 'object',
      required: ['submit', 'lookup', 'delivered'],
      additionalProperties: false,
      properties: {
        submit: operationSchema,
        lookup: operationSchema,
        supplement: operationSchema,
        delivered: operationSchema,
        poll: operationSchema,
        probe: operationSchema,
      },
    },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    idempotencyHeader: { type: 'string', pattern: '^[A-Za-z0-9-]+$' },
    lookupBeforeSubmit: { type: 'boolean' },
    lookupBy: { enum: ['bridgeId', 'itemId'] },
    login: {
      type: 'object',
      additionalProperties: false,
      properties: {
        usernameField: { type: 'string', minLength: 1 },
        passwordField: { type: 'string', minLength: 1 },
        tokenTtlMs: { type: 'integer', minimum: 1000 },
      },
    },
  },
} as const;

/** Fills `{name}` placeholders of an operation path, URL-encoding each value. */
export function fillPath(path: string, values: Record<string, string | undefined>): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (!(name in values)) throw new Error(`operation path ${path} uses unknown placeholder {${name}}`);
    return encodeURIComponent(values[name] ?? '');
  });
}

/** Joins the agency endpoint and an operation path without doubling or losing a slash. */
export function joinUrl(endpoint: string, path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `${endpoint.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
