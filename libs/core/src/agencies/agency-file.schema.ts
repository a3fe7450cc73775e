import { AdapterKind } from '@bridge/adapter-sdk';
import { DOSSIER_STATUSES } from '@bridge/domain';

const positiveInt = { type: 'integer', minimum: 1 } as const;
const text = { type: 'string', minLength: 1 } as const;

/** Each `auth.type` with its own fields; the discriminator keeps errors to the chosen type. */
const authSchema = {
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  discriminator: { propertyName: 'type' },
  oneOf: [
    { properties: { type: { const: 'none' } }, additionalProperties: false },
    {
      properties: { type: { const: 'api-key' }, header: text, key: text },
      required: ['header', 'key'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'bearer' }, token: text },
      required: ['token'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'basic' }, username: text, password: text },
      required: ['username', 'password'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'oauth2-client-credentials' },
        tokenUrl: {
          type: 'string',
          format: 'uri-reference',
          description: 'absolute, or relative to the endpoint',
        },
        clientId: text,
        clientSecret: text,
        scope: { type: 'string' },
      },
      required: ['tokenUrl', 'clientId', 'clientSecret'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'session-login' },
        loginUrl: {
          type: 'string',
          format: 'uri-reference',
          description: 'absolute, or relative to the endpoint',
        },
        username: text,
        password: text,
        tokenPath: text,
        header: text,
      },
      required: ['loginUrl', 'username', 'password'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'ws-security' },
        username: text,
        password: text,
        passwordType: { enum: ['PasswordText', 'PasswordDigest'] },
      },
      required: ['username', 'password'],
      additionalProperties: false,
    },
  ],
} as const;

const callbackAuthSchema = {
  type: 'object',
  required: ['type'],
  properties: { type: { type: 'string' } },
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      properties: { type: { const: 'hmac-sha256' }, secret: { type: 'string', minLength: 16 }, header: text },
      required: ['secret'],
      additionalProperties: false,
    },
    { properties: { type: { const: 'agency-key' } }, additionalProperties: false },
  ],
} as const;

const adapterSchema = {
  type: 'object',
  required: ['kind', 'endpoint', 'statusCodes', 'mappings'],
  additionalProperties: false,
  properties: {
    kind: { enum: Object.values(AdapterKind) },
    endpoint: text,
    sandboxEndpoint: text,
    auth: authSchema,
    callbackAuth: callbackAuthSchema,
    timeoutMs: { type: 'integer', minimum: 100, maximum: 600_000 },
    concurrency: { type: 'integer', minimum: 1, maximum: 256 },
    rateLimit: {
      type: 'object',
      required: ['max', 'durationMs'],
      additionalProperties: false,
      properties: { max: positiveInt, durationMs: positiveInt },
    },
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxAttempts: positiveInt,
        baseDelayMs: positiveInt,
        maxDelayMs: positiveInt,
        jitter: { type: 'number', minimum: 0, maximum: 1 },
      },
    },
    circuit: {
      type: 'object',
      additionalProperties: false,
      properties: { failureThreshold: positiveInt, openMs: positiveInt },
    },
    pollIntervalMs: { type: 'integer', minimum: 1000 },
    statusLookup: {
      type: 'object',
      required: ['intervalMs'],
      additionalProperties: false,
      properties: {
        intervalMs: { type: 'integer', minimum: 1000 },
        idleAfterMs: { type: 'integer', minimum: 1000 },
        idleIntervalMs: { type: 'integer', minimum: 1000 },
      },
    },
    statusCodes: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { enum: [...DOSSIER_STATUSES] },
    },
    dates: {
      type: 'object',
      additionalProperties: false,
      properties: { format: text, zone: text },
    },
    mappings: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mappingTimeMs: { type: 'integer', minimum: 1, maximum: 10_000 },
        // Deeper than this the synchronous evaluator would reach the JavaScript stack's own limit.
        mappingDepth: { type: 'integer', minimum: 10, maximum: 1_000 },
        maxResponseBytes: { type: 'integer', minimum: 1_024, maximum: 256 * 1024 * 1024 },
      },
    },
    examples: {
      type: 'object',
      description: 'inputs each mapping must map within its budget at apply time, by mapping name',
      additionalProperties: { type: 'array', maxItems: 20 },
    },
    options: { type: 'object' },
  },
} as const;

/**
 * JSON Schema of an agency file (see {@link AgencyFile}). Code shapes, parents, validity order,
 * the kind's own options and the mappings are checked after it, in code.
 */
export const AGENCY_FILE_SCHEMA = {
  $id: 'https://bridge.local/schemas/agency-file.json',
  type: 'object',
  required: ['code', 'name', 'level', 'procedures'],
  additionalProperties: false,
  properties: {
    code: text,
    name: text,
    level: text,
    parent: text,
    province: text,
    validFrom: { type: 'string', format: 'date' },
    validTo: { type: 'string', format: 'date' },
    mergedInto: text,
    procedures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name'],
        additionalProperties: false,
        properties: {
          code: text,
          name: text,
          byPost: { type: 'boolean' },
          processingDays: { type: 'integer', minimum: 0, maximum: 365 },
        },
      },
    },
    adapter: adapterSchema,
  },
} as const;
