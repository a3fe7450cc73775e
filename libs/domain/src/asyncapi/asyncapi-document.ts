import { BRIDGE_EVENT_TYPES, EXCHANGES, POSTAL_EVENT_TYPES } from '../events/event-types';
import { EVENT_SCHEMAS, EventType } from '../events/schemas/cloud-event-schema';
import { JsonSchema } from '../events/schemas/json-schema';

/** An AsyncAPI document as a plain object, ready to serve as JSON or YAML. */
export type AsyncApiDocument = { readonly asyncapi: '3.0.0' } & { readonly [key: string]: unknown };

export interface AsyncApiOptions {
  /** Version of the bridge the document describes. */
  readonly version?: string;
  /** The broker as clients reach it, `host:port`. */
  readonly brokerHost?: string;
}

const SCHEMA_FORMAT = 'application/schema+json;version=draft-07';

/**
 * Builds the AsyncAPI 3.0 document of the bridge's AMQP contract, from the bridge's point of
 * view: it receives the postal types on `postal.inbound` and sends every bridge type on
 * `bridge.events`. Both are topic exchanges and the routing key is the event type, so each
 * type is one channel whose address is that routing key. Payloads are the very schema objects
 * the EventValidator compiles, so the document cannot drift from what is enforced.
 */
export function buildAsyncApiDocument(options: AsyncApiOptions = {}): AsyncApiDocument {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  const add = (type: EventType, exchange: string, action: 'receive' | 'send'): void => {
    messages[type] = message(type, EVENT_SCHEMAS[type]);
    channels[type] = {
      address: type,
      title: `${type} on ${exchange}`,
      messages: { [type]: { $ref: `#/components/messages/${type}` } },
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: { name: exchange, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
          bindingVersion: '0.3.0',
        },
      },
    };
    operations[`${action}:${type}`] = {
      action,
      channel: { $ref: `#/channels/${type}` },
      summary: action === 'receive' ? `The post reports ${type}.` : `The bridge publishes ${type}.`,
      messages: [{ $ref: `#/channels/${type}/messages/${type}` }],
      bindings: { amqp: { deliveryMode: 2, ack: true, bindingVersion: '0.3.0' } },
    };
  };
  for (const type of POSTAL_EVENT_TYPES) add(type, EXCHANGES.postalInbound, 'receive');
  for (const type of BRIDGE_EVENT_TYPES) add(type, EXCHANGES.bridgeEvents, 'send');

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Postal One-Stop Bridge events',
      version: options.version ?? '1.0.0',
      description:
        'Postal tracking events in (postal.inbound) and normalized dossier events out (bridge.events). ' +
        'Every message is a persistent CloudEvents 1.0 structured JSON document; the routing key is its type.',
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: { host: options.brokerHost ?? 'localhost:5672', protocol: 'amqp', protocolVersion: '0.9.1' },
    },
    channels,
    operations,
    components: { messages },
  };
}

function message(type: EventType, schema: JsonSchema): Record<string, unknown> {
  return {
    name: type,
    title: type,
    contentType: 'application/json',
    payload: { schemaFormat: SCHEMA_FORMAT, schema },
  };
}
