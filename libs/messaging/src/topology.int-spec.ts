import * as amqp from 'amqplib';
import { setBrokerPolicy, TEST_AMQP_URL, takeMessages, uniqueAmqpPrefix, waitFor } from '@bridge/testing';
import { AmqpConnectionManager } from './amqp-connection';
import { ConfirmedPublisher } from './confirmed-publisher';
import { queueDepth } from './queue-depth';
import { bridgeTopologyNames, declareBridgeTopology, deleteBridgeTopology, entityExistsOn } from './topology';

describe('declareBridgeTopology (RabbitMQ)', () => {
  const names = bridgeTopologyNames(uniqueAmqpPrefix('topology'));
  let connection: amqp.ChannelModel;
  let channel: amqp.Channel;

  beforeAll(async () => {
    connection = await amqp.connect(TEST_AMQP_URL);
    channel = await connection.createChannel();
    await declareBridgeTopology(channel, names);
  });

  afterAll(async () => {
    await deleteBridgeTopology(channel, names);
    await connection.close();
  });

  it('lets others assert bridge.events with plain options (no PRECONDITION_FAILED)', async () => {
    const other = await connection.createChannel();
    await expect(
      other.assertExchange(names.bridgeEventsExchange, 'topic', { durable: true }),
    ).resolves.toEqual(expect.objectContaining({ exchange: names.bridgeEventsExchange }));
    await other.close();
  });

  it('can be declared again and again, on quorum queues, without error', async () => {
    const first = await declareBridgeTopology(channel, names);
    const second = await declareBridgeTopology(channel, names);
    expect(first.queueKind).toBe('quorum');
    expect(second).toEqual(first);
    // Redeclaring as a classic queue is refused: proof the queue really is a quorum queue.
    const probe = await connection.createChannel();
    probe.on('error', () => undefined);
    await expect(probe.assertQueue(names.postalInboundQueue, { durable: true })).rejects.toThrow(
      'PRECONDITION_FAILED',
    );
  });

  it('routes any message published to postal.inbound into the bridge queue', async () => {
    channel.publish(names.postalInboundExchange, 'postal.dossier.collected', Buffer.from('{"id":"a"}'));
    channel.publish(names.postalInboundExchange, 'raw.EMA', Buffer.from('{"id":"b"}'));
    const messages = await takeMessages(channel, names.postalInboundQueue, 2);
    expect(messages.map((message) => message.content.toString())).toEqual(['{"id":"a"}', '{"id":"b"}']);
  });

  it('keeps the events published before the postal backend first consumes: all are received once it does', async () => {
    const manager = new AmqpConnectionManager({
      url: TEST_AMQP_URL,
      connectionName: names.postalEventsQueue,
    });
    await manager.connect();
    const publisher = new ConfirmedPublisher(manager);
    try {
      const events = Array.from({ length: 25 }, (_, i) => ({ id: `early-${i}`, type: 'dossier.collected' }));
      await publisher.publishBatch(
        events.map((body) => ({ exchange: names.bridgeEventsExchange, routingKey: body.type, body })),
      );
      // Only now does a consumer come.
      const received = await takeMessages(channel, names.postalEventsQueue, events.length);
      expect(received.map((m) => (JSON.parse(m.content.toString()) as { id: string }).id)).toEqual(
        events.map((e) => e.id),
      );
      expect(await queueDepth(manager, names.unroutableQueue)).toBe(0);
    } finally {
      await publisher.close();
      await manager.close();
    }
  });

  it('routes an event no queue is bound for to the alternate exchange, where it is counted, not dropped', async () => {
    const manager = new AmqpConnectionManager({ url: TEST_AMQP_URL, connectionName: names.unroutableQueue });
    await manager.connect();
    const publisher = new ConfirmedPublisher(manager);
    // As docker/rabbitmq/definitions.json sets it on a real broker.
    const policy = `${names.bridgeEventsExchange}-ae`;
    const escaped = names.bridgeEventsExchange.replace(/[.-]/g, (c) => `\\${c}`);
    await setBrokerPolicy(policy, `^${escaped}$`, 'exchanges', {
      'alternate-exchange': names.unroutableExchange,
    });
    try {
      await channel.unbindQueue(names.postalEventsQueue, names.bridgeEventsExchange, '#');
      await publisher.publish(names.bridgeEventsExchange, 'dossier.received', {
        id: 'orphan-1',
        type: 'dossier.received',
      });
      await waitFor(
        async () => (await queueDepth(manager, names.unroutableQueue)) === 1,
        'the counted event',
      );
      const [orphan] = await takeMessages(channel, names.unroutableQueue, 1);
      expect(JSON.parse(orphan.content.toString())).toEqual({ id: 'orphan-1', type: 'dossier.received' });
      expect(orphan.fields.routingKey).toBe('dossier.received');
      expect(await queueDepth(manager, `${names.unroutableQueue}.missing`)).toBeNull();
    } finally {
      await setBrokerPolicy(policy, '', 'exchanges', undefined);
      await channel.bindQueue(names.postalEventsQueue, names.bridgeEventsExchange, '#');
      await publisher.close();
      await manager.close();
    }
  });

  it('leaves an existing queue as it was made (no PRECONDITION_FAILED for the new arguments)', async () => {
    const old = bridgeTopologyNames(uniqueAmqpPrefix('topology-old'));
    const oldChannel = await connection.createChannel();
    try {
      // As a bridge before the delivery limit made it.
      await oldChannel.assertQueue(old.postalInboundQueue, {
        durable: true,
        arguments: { 'x-queue-type': 'quorum' },
      });
      await oldChannel.assertExchange(old.bridgeEventsExchange, 'topic', { durable: true });
      await declareBridgeTopology(oldChannel, old, 'quorum', entityExistsOn(connection));
      expect((await oldChannel.checkQueue(old.postalInboundQueue)).queue).toBe(old.postalInboundQueue);
    } finally {
      await deleteBridgeTopology(oldChannel, old).catch(() => undefined);
      await oldChannel.close().catch(() => undefined);
    }
  });

  it('sends messages the broker rejects from the bridge queue to the dead-letter queue', async () => {
    channel.publish(names.postalInboundExchange, 'postal.x', Buffer.from('{"id":"rejected"}'));
    const [message] = await takeMessagesWithoutAck(channel, names.postalInboundQueue);
    channel.nack(message, false, false);
    const [dead] = await takeMessages(channel, names.postalInboundDeadQueue, 1);
    expect(dead.content.toString()).toBe('{"id":"rejected"}');
  });
});

async function takeMessagesWithoutAck(channel: amqp.Channel, queue: string): Promise<amqp.GetMessage[]> {
  for (let tries = 0; tries < 100; tries++) {
    const message = await channel.get(queue, { noAck: false });
    if (message) return [message];
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no message in ${queue}`);
}
