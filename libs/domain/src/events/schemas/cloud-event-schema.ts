import { BRIDGE_EVENT_TYPES, BridgeEventType, POSTAL_EVENT_TYPES, PostalEventType } from '../event-types';
import { BRIDGE_EVENT_DATA_SCHEMAS } from './bridge-event-schemas';
import { NON_EMPTY_TEXT, TIMESTAMP } from './common-schemas';
import { JSON_SCHEMA_DIALECT, JsonSchema } from './json-schema';
import { POSTAL_EVENT_DATA_SCHEMAS } from './postal-event-schemas';

/**
 * The CloudEvents 1.0 structured JSON envelope of every message. Extension attributes are
 * allowed when named as the spec requires (lower-case letters and digits), so a typo in a
 * core attribute (`spec_version`) is caught instead of ignored.
 */
export const CLOUD_EVENT_ENVELOPE_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    specversion: { const: '1.0' },
    id: NON_EMPTY_TEXT,
    source: {
      ...NON_EMPTY_TEXT,
      format: 'uri-reference',
      description: 'a URI reference, e.g. /vnpost/tracking',
    },
    type: NON_EMPTY_TEXT,
    subject: NON_EMPTY_TEXT,
    time: TIMESTAMP,
    datacontenttype: { const: 'application/json' },
    correlationid: NON_EMPTY_TEXT,
    data: { type: 'object' },
  },
  required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'],
  patternProperties: { '^[a-z0-9]{1,20}$': {} },
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
