import { BRIDGE_EVENT_TYPES, BridgeEventType, POSTAL_EVENT_TYPES, PostalEventType } from '../event-types';
import { BRIDGE_EVENT_DATA_SCHEMAS } from './bridge-event-schemas';
import { NON_EMPTY_TEXT, TIMESTAMP } from './common-schemas';
import { JSON_SCHEMA_DIALECT, JsonSchema } from './json-schema';
import { POSTAL_EVENT_DATA_SCHEMAS } from './postal-event-schemas';

/**
 * Longest value of each CloudEvent attribute, in characters. `source` and `id` together key the
 * inbox's unique index, whose rows PostgreSQL caps at about 2,700 bytes: 256 + 256 characters
 * of up to 4 bytes each stay below it, so an attribute too long is refused here, by name,
 * instead of failing the database on every delivery.
 */
export const CLOUD_EVENT_ATTRIBUTE_MAX_LENGTH = {
  id: 256,
  source: 256,
  type: 128,
  subject: 256,
  correlationid: 256,
  /** Any extension attribute. */
  extension: 1024,
} as const;

const limited = (schema: JsonSchema, maxLength: number): JsonSchema => ({ ...schema, maxLength });

/**
 * The CloudEvents 1.0 structured JSON envelope of every message. Extension attributes are
 * allowed when named as the spec requires (lower-case letters and digits), so a typo in a
 * core attribute (`spec_version`) is caught instead of ignored.
 */
export const CLOUD_EVENT_ENVELOPE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    specversion: { const: '1.0' },
    id: limited(NON_EMPTY_TEXT, CLOUD_EVENT_ATTRIBUTE_MAX_LENGTH.id),
    source: {
      ...NON_EMPTY_TEXT,
      maxLength: CLOUD_EVENT_ATTRIBUTE_MAX_LENGTH.source,
      format: 'uri-reference',
      description: 'a URI reference, e.g. /vnpost/tracking',
    },
    type: limited(NON_EMPTY_TEXT, CLOUD_EVENT_ATTRIBUTE_MAX_LENGTH.type),
    subject: limited(NON_EMPTY_TEXT, CLOUD_EVENT_ATTRIBUTE_MAX_LENGTH.subject),
    time: TIMESTAMP,
    datacontenttype: { const: 'application/json' },
    correlationid: limited(NON_EMPTY_TEXT, CLOUD_EVENT_ATTRIBUTE_MAX_LENGTH.correlationid),
    data: { type: 'object' },
  },
  required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'],
  // The look-ahead leaves the attributes above to their own schemas (ajv's strict mode insists).
  patternProperties: {
    '^(?!(specversion|id|source|type|subject|time|datacontenttype|correlationid|data)$)[a-z0-9]{1,20}$': {
      maxLength: CLOUD_EVENT_ATTRIBUTE_MAX_LENGTH.extension,
    },
  },
  additionalProperties: false,
};

/** Every type that has a schema: the postal types in and the bridge types out. */
export type EventType = PostalEventType | BridgeEventType;

const DATA_SCHEMAS: Readonly<Record<EventType, JsonSchema>> = {
  ...POSTAL_EVENT_DATA_SCHEMAS,
  ...BRIDGE_EVENT_DATA_SCHEMAS,
};

/** The `data` schema of one event type. */
export function dataSchemaFor(type: EventType): JsonSchema {
  return DATA_SCHEMAS[type];
}

/** The whole-message schema of one event type: the envelope with `type` fixed and `data` typed. */
export function eventSchemaFor(type: EventType): JsonSchema {
  return EVENT_SCHEMAS[type];
}

function buildEventSchema(type: EventType): JsonSchema {
  const envelopeProperties = CLOUD_EVENT_ENVELOPE_SCHEMA.properties as Record<string, JsonSchema>;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: `CloudEvent ${type}`,
    ...CLOUD_EVENT_ENVELOPE_SCHEMA,
    properties: { ...envelopeProperties, type: { const: type }, data: DATA_SCHEMAS[type] },
  };
}

/** The whole-message schema of every event type, built once. */
export const EVENT_SCHEMAS: Readonly<Record<EventType, JsonSchema>> = Object.fromEntries(
  [...POSTAL_EVENT_TYPES, ...BRIDGE_EVENT_TYPES].map((type) => [type, buildEventSchema(type)]),
) as Record<EventType, JsonSchema>;
