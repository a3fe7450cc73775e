import type { Channel, ChannelModel, Options } from 'amqplib';
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
/** The postal backend's durable queue on `bridge.events` (every event), declared from the start. */
export const POSTAL_EVENTS_QUEUE = 'postal.bridge-events';
/** Alternate exchange of `bridge.events`: whatever no queue is bound for lands here, not nowhere. */
export const BRIDGE_UNROUTABLE_EXCHANGE = 'bridge.events.unroutable';
/** The queue of {@link BRIDGE_UNROUTABLE_EXCHANGE}; counted on the dashboard and in `/metrics`. */
export const BRIDGE_UNROUTABLE_QUEUE = 'bridge.events.unroutable';
/**
 * Deliveries of one postal message before the broker dead-letters it (`x-delivery-limit`): a
 * backstop for a message that kills its consumer every time. The handler itself dead-letters
 * what it knows to be hopeless long before, and holds (not returns) messages while the
 * database is away, so an outage counts against it at most once, and only when it outlasts
 * the consumer's hold limit (10 min).
 */
export const POSTAL_INBOUND_DELIVERY_LIMIT = 10;

/** Every exchange and queue name of the bridge topology; prefixed in tests to isolate them. */
export interface BridgeTopologyNames {
  postalInboundExchange: string;
  bridgeEventsExchange: string;
  postalInboundQueue: string;
  deadLetterExchange: string;
  postalInboundDeadQueue: string;
  postalEventsQueue: string;
  unroutableExchange: string;
  unroutableQueue: string;
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
 * `t123.postal.inbound`). Production uses no prefix. `postalEventsQueue` names the postal
 * backend's queue on `bridge.events` when it is not {@link POSTAL_EVENTS_QUEUE}.
 */
export function bridgeTopologyNames(
  prefix = '',
  postalEventsQueue = POSTAL_EVENTS_QUEUE,
): BridgeTopologyNames {
  if (prefix !== '' && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    throw new MessagingError(
      MessagingErrorCode.INVALID_ARGUMENT,
      `topology prefix "${prefix}" may hold only letters, digits, '-', '_' and inner dots`,
    );
  }
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(postalEventsQueue)) {
    throw new MessagingError(
      MessagingErrorCode.INVALID_ARGUMENT,
      `postal events queue "${postalEventsQueue}" may hold only letters, digits, '-', '_' and inner dots`,
    );
  }
  const name = (base: string): string => (prefix ? `${prefix}.${base}` : base);
  return {
    postalInboundExchange: name(POSTAL_INBOUND_EXCHANGE),
    bridgeEventsExchange: name(BRIDGE_EVENTS_EXCHANGE),
    postalInboundQueue: name(BRIDGE_POSTAL_INBOUND_QUEUE),
    deadLetterExchange: name(BRIDGE_DEAD_LETTER_EXCHANGE),
    postalInboundDeadQueue: name(BRIDGE_POSTAL_INBOUND_DEAD_QUEUE),
    postalEventsQueue: name(postalEventsQueue),
    unroutableExchange: name(BRIDGE_UNROUTABLE_EXCHANGE),
    unroutableQueue: name(BRIDGE_UNROUTABLE_QUEUE),
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
 * Whether an exchange or queue exists already; lets {@link declareBridgeTopology} give new
 * entities their full arguments while redeclaring old ones exactly as they were made.
 */
export type EntityExists = (kind: 'exchange' | 'queue', name: string) => Promise<boolean>;

/**
 * Asks the broker on a channel of its own (a passive declare of a missing entity closes the
 * channel it is made on).
 */
export function entityExistsOn(connection: ChannelModel): EntityExists {
  return async (kind, name) => {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await (kind === 'queue' ? channel.checkQueue(name) : channel.checkExchange(name));
      await channel.close().catch(() => undefined);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return false;
      throw error;
    }
  };
}

/**
 * Declares the bridge's exchanges and queues; idempotent, so every (re)connect may call it.
 * `postal.inbound` → `bridge.postal-inbound` (binding `#`); messages the broker itself rejects
 * from that queue (beyond its delivery limit too), and those the consumer dead-letters, go
 * through `bridge.dlx` to `bridge.postal-inbound.dead`. `bridge.events` → the postal backend's
 * queue (binding `#`), so no event is relayed before a queue exists; what no binding takes goes
 * to the alternate exchange `bridge.events.unroutable` and waits in its queue.
 *
 * RabbitMQ refuses to redeclare an entity with other arguments (PRECONDITION_FAILED), so an
 * entity that `exists` says is there is left as it is, and only new ones are declared, the postal
 * queue with its delivery limit as an argument (queues made before it get the limit from a
 * policy). The alternate exchange of `bridge.events` is always a policy
 * (`docker/rabbitmq/definitions.json`, docs/operations.md), never an argument, so others may
 * assert the exchange with plain options. Queues are
 * quorum queues where the broker has them.
 *
 * @param queueKind force a kind; by default quorum when the broker supports it.
 * @param exists tells existing entities apart; without it every entity is declared as new.
 */
export async function declareBridgeTopology(
  channel: Channel,
  names: BridgeTopologyNames = bridgeTopologyNames(),
  queueKind: QueueKind = brokerSupportsQuorumQueues(channel.connection.serverProperties)
    ? 'quorum'
    : 'classic',
  exists: EntityExists = () => Promise.resolve(false),
): Promise<DeclaredTopology> {
  const queueTypeArgs = queueKind === 'quorum' ? { 'x-queue-type': 'quorum' } : {};
  const exchange = async (name: string, type: string, options: Options.AssertExchange = {}) => {
    if (!(await exists('exchange', name)))
      await channel.assertExchange(name, type, { durable: true, ...options });
  };
  const queue = async (name: string, args: Record<string, unknown> = {}) => {
    if (!(await exists('queue', name)))
      await channel.assertQueue(name, { durable: true, arguments: { ...queueTypeArgs, ...args } });
  };
  try {
    await exchange(names.postalInboundExchange, 'topic');
    await exchange(names.unroutableExchange, 'fanout');
    // No alternate-exchange argument: a postal backend (or any tool) that asserts `bridge.events`
    // with plain options must not meet PRECONDITION_FAILED. The alternate exchange is set by a
    // policy (docker/rabbitmq/definitions.json, docs/operations.md).
    await exchange(names.bridgeEventsExchange, 'topic');
    await exchange(names.deadLetterExchange, 'topic');

    await queue(names.postalInboundDeadQueue);
    await channel.bindQueue(names.postalInboundDeadQueue, names.deadLetterExchange, names.postalInboundQueue);
    await queue(names.postalInboundQueue, {
      'x-dead-letter-exchange': names.deadLetterExchange,
      'x-dead-letter-routing-key': names.postalInboundQueue,
      // Only quorum queues count deliveries.
      ...(queueKind === 'quorum' ? { 'x-delivery-limit': POSTAL_INBOUND_DELIVERY_LIMIT } : {}),
    });
    await channel.bindQueue(names.postalInboundQueue, names.postalInboundExchange, '#');

    await queue(names.postalEventsQueue);
    await channel.bindQueue(names.postalEventsQueue, names.bridgeEventsExchange, '#');
    await queue(names.unroutableQueue);
    await channel.bindQueue(names.unroutableQueue, names.unroutableExchange, '');
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
  await channel.deleteQueue(names.postalEventsQueue);
  await channel.deleteQueue(names.unroutableQueue);
  await channel.deleteExchange(names.postalInboundExchange);
  await channel.deleteExchange(names.bridgeEventsExchange);
  await channel.deleteExchange(names.unroutableExchange);
  await channel.deleteExchange(names.deadLetterExchange);
}
