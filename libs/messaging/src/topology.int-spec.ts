import * as amqp from 'amqplib';
import { TEST_AMQP_URL, takeMessages, uniqueAmqpPrefix } from '@bridge/testing';
import { bridgeTopologyNames, declareBridgeTopology, deleteBridgeTopology } from './topology';

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
