import type { Channel } from 'amqplib';
import { MessagingError, MessagingErrorCode } from './errors';

/** Topic exchange where the postal system publishes its tracking events. */
export const POSTAL_INBOUND_EXCHANGE = 'postal.inbound';
/** Topic exchange where the bridge publishes normalized events; routing key = event type. */
export const BRIDGE_EVENTS_EXCHANGE = 'bridge.events';
/** The bridge's own queue on `postal.inbound`. */
export const BRIDGE_POSTAL_INBOUND_QUEUE = 'bridge.postal-inbound';
/** Dead-letter exchange; dead letters are routed by the name of the queue they came from. */
export const BRIDGE_DEAD_LETTER_EXCHANGE = 'bridge.dlx';
/** Postal messages the bridge could not accept, kept until a person replays or discards them. */
export const BRIDGE_POSTAL_INBOUND_DEAD_QUEUE = 'bridge.postal-inbound.dead';

/** Every exchange and queue name of the bridge topology; prefixed in tests to isolate them. */
export interface BridgeTopologyNames {
  postalInboundExchange: string;
  bridgeEventsExchange: string;
  postalInboundQueue: string;
  deadLetterExchange: string;
  postalInboundDeadQueue: string;
}

/** Which kind of queue the broker got. */
export type QueueKind = 'quorum' | 'classic';

/** What {@link declareBridgeTopology} declared. */
export interface DeclaredTopology {
  names: BridgeTopologyNames;
  queueKind: QueueKind;
}

/**
 * The topology names, each prefixed with `prefix.` when a prefix is given (`t123` →
 * `t123.postal.inbound`). Production uses no prefix.
 */
export function bridgeTopologyNames(prefix = ''): BridgeTopologyNames {
  if (prefix !== '' && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    throw new MessagingError(
      MessagingErrorCode.INVALID_ARGUMENT,
      `topology prefix "${prefix}" may hold only letters, digits, '-', '_' and inner dots`,
    );
  }
  const name = (base: string): string => (prefix ? `${prefix}.${base}` : base);
  return {
    postalInboundExchange: name(POSTAL_INBOUND_EXCHANGE),
    bridgeEventsExchange: name(BRIDGE_EVENTS_EXCHANGE),
    postalInboundQueue: name(BRIDGE_POSTAL_INBOUND_QUEUE),
    deadLetterExchange: name(BRIDGE_DEAD_LETTER_EXCHANGE),
    postalInboundDeadQueue: name(BRIDGE_POSTAL_INBOUND_DEAD_QUEUE),
  };
}

/**
 * Quorum queues exist from RabbitMQ 3.8 on. Decided from the server's version rather than by
 * trying: a refused declare closes the channel, and the caller's channel must survive.
 */
export function brokerSupportsQuorumQueues(serverProperties: {
  version?: unknown;
  product?: unknown;
}): boolean {
  const product = typeof serverProperties.product === 'string' ? serverProperties.product : '';
  const version = typeof serverProperties.version === 'string' ? serverProperties.version : '';
  const match = /^(\d+)\.(\d+)/.exec(version);
  if (!/rabbitmq/i.test(product) || !match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 3 || (major === 3 && minor >= 8);
}

/**
 * Declares the bridge's exchanges and queues; idempotent, so every (re)connect may call it.
 * `postal.inbound` → `bridge.postal-inbound` (binding `#`); messages the broker itself rejects
 * from that queue, and those the consumer dead-letters, go through `bridge.dlx` to
 * `bridge.postal-inbound.dead`. Queues are quorum queues where the broker has them.
 *
 * @param queueKind force a kind; by default quorum when the broker supports it.
 */
export async function declareBridgeTopology(
  channel: Channel,
  names: BridgeTopologyNames = bridgeTopologyNames(),
  queueKind: QueueKind = brokerSupportsQuorumQueues(channel.connection.serverProperties)
    ? 'quorum'
    : 'classic',
): Promise<DeclaredTopology> {
  const queueTypeArgs = queueKind === 'quorum' ? { 'x-queue-type': 'quorum' } : {};
  try {
    await channel.assertExchange(names.postalInboundExchange, 'topic', { durable: true });
    await channel.assertExchange(names.bridgeEventsExchange, 'topic', { durable: true });
    await channel.assertExchange(names.deadLetterExchange, 'topic', { durable: true });

    await channel.assertQueue(names.postalInboundDeadQueue, {
      durable: true,
      arguments: { ...queueTypeArgs },
    });
    await channel.bindQueue(names.postalInboundDeadQueue, names.deadLetterExchange, names.postalInboundQueue);

    await channel.assertQueue(names.postalInboundQueue, {
      durable: true,
      arguments: {
        ...queueTypeArgs,
        'x-dead-letter-exchange': names.deadLetterExchange,
        'x-dead-letter-routing-key': names.postalInboundQueue,
      },
    });
    await channel.bindQueue(names.postalInboundQueue, names.postalInboundExchange, '#');
  } catch (error) {
    // The usual cause is a queue that already exists with other arguments (e.g. classic vs quorum).
    throw new MessagingError(
      MessagingErrorCode.INVALID_ARGUMENT,
      `declaring the bridge topology (${queueKind} queues) failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return { names, queueKind };
}

/** Deletes everything {@link declareBridgeTopology} declared; for test clean-up. */
export async function deleteBridgeTopology(channel: Channel, names: BridgeTopologyNames): Promise<void> {
  await channel.deleteQueue(names.postalInboundQueue);
  await channel.deleteQueue(names.postalInboundDeadQueue);
  await channel.deleteExchange(names.postalInboundExchange);
  await channel.deleteExchange(names.bridgeEventsExchange);
  await channel.deleteExchange(names.deadLetterExchange);
}
