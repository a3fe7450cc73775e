import { BRIDGE_EVENT_TYPES, POSTAL_EVENT_TYPES } from '../events/event-types';
import { EVENT_SCHEMAS } from '../events/schemas/cloud-event-schema';
import { buildAsyncApiDocument } from './asyncapi-document';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is walked as untyped JSON
type Json = any;

/** Follows a local `$ref` (`#/a/b`) through the document, as an AsyncAPI tool would. */
function resolve(doc: unknown, ref: string): Json {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<Json>((node, key) => (node === undefined ? undefined : node[key]), doc);
}

describe('buildAsyncApiDocument', () => {
  const doc = buildAsyncApiDocument({ version: '2.1.0' }) as Json;

  it('is an AsyncAPI 3.0 document with the given version', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info.version).toBe('2.1.0');
    expect(doc.servers.rabbitmq.protocol).toBe('amqp');
  });

  it.each([
    ...POSTAL_EVENT_TYPES.map((type) => [type, 'postal.inbound', 'receive'] as const),
    ...BRIDGE_EVENT_TYPES.map((type) => [type, 'bridge.events', 'send'] as const),
  ])(
    '%s has a channel on %s, a %s operation and a message whose payload is its schema',
    (type, exchange, action) => {
      const channel = doc.channels[type];
      expect(channel.address).toBe(type);
      expect(channel.bindings.amqp).toMatchObject({
        is: 'routingKey',
        exchange: { name: exchange, type: 'topic' },
      });

      const operation = doc.operations[`${action}:${type}`];
      expect(operation.action).toBe(action);
      expect(resolve(doc, operation.channel.$ref)).toBe(channel);

      const message = resolve(doc, resolve(doc, operation.messages[0].$ref).$ref);
      expect(message.name).toBe(type);
      // The same object the validator compiles, not a copy that could drift.
      expect(message.payload.schema).toBe(EVENT_SCHEMAS[type]);
      expect(message.payload.schema.properties.type).toEqual({ const: type });
    },
  );

  it.each([
    ['dossier.collected', 1],
    ['dossier.received', 2],
    ['dossier.rejected', 3],
    ['dossier.processing', 4],
    ['dossier.supplement_requested', 5],
    ['dossier.cancelled', 7],
    ['dossier.result_ready', 9],
    ['dossier.delivery_failed', 9],
    ['dossier.completed', 10],
  ] as const)('%s carries the national portal status code %i, required', (type, code) => {
    const data = (EVENT_SCHEMAS[type] as Json).properties.data;
    expect(data.properties.portalStatusCode).toMatchObject({ const: code });
    expect(data.required).toContain('portalStatusCode');
  });

  it('describes nothing but the contract types', () => {
    expect(Object.keys(doc.channels).sort()).toEqual([...POSTAL_EVENT_TYPES, ...BRIDGE_EVENT_TYPES].sort());
    expect(Object.keys(doc.operations)).toHaveLength(POSTAL_EVENT_TYPES.length + BRIDGE_EVENT_TYPES.length);
  });

  it('serialises to JSON without loss', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});
