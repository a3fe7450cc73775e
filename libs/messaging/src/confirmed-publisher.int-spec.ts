import * as amqp from 'amqplib';
import { TEST_AMQP_URL, takeMessages, uniqueAmqpPrefix } from '@bridge/testing';
import { AmqpConnectionManager } from './amqp-connection';
import { CLOUDEVENTS_CONTENT_TYPE, ConfirmedPublisher, PublishBatchError } from './confirmed-publisher';
import { MessagingErrorCode } from './errors';
import { bridgeTopologyNames, declareBridgeTopology, deleteBridgeTopology } from './topology';

function cloudEvent(id: string, type = 'dossier.collected'): Record<string, unknown> {
  return { specversion: '1.0', id, source: '/bridge', type, time: new Date().toISOString(), data: { n: id } };
}

describe('ConfirmedPublisher (RabbitMQ)', () => {
  const prefix = uniqueAmqpPrefix('publisher');
  const names = bridgeTopologyNames(prefix);
  const manager = new AmqpConnectionManager({ url: TEST_AMQP_URL, connectionName: prefix });
  const publisher = new ConfirmedPublisher(manager, { confirmTimeoutMs: 5_000 });
  let admin: amqp.ChannelModel;
  let channel: amqp.Channel;
  const eventsQueue = `${prefix}.events-tap`;

  beforeAll(async () => {
    await manager.connect();
    admin = await amqp.connect(TEST_AMQP_URL);
    channel = await admin.createChannel();
    await declareBridgeTopology(channel, names);
    await channel.assertQueue(eventsQueue, { durable: true });
    await channel.bindQueue(eventsQueue, names.bridgeEventsExchange, 'dossier.#');
  });

  afterAll(async () => {
    await publisher.close();
    await manager.close();
    await channel.deleteQueue(eventsQueue);
    await deleteBridgeTopology(channel, names);
    await admin.close();
  });

  it('delivers a confirmed event as a persistent CloudEvents message carrying its id, type and correlation id', async () => {
    await publisher.publish(names.bridgeEventsExchange, 'dossier.collected', cloudEvent('evt-1'), {
      correlationId: 'corr-1',
    });
    const [message] = await takeMessages(channel, eventsQueue, 1);
    expect(JSON.parse(message.content.toString())).toMatchObject({ id: 'evt-1', type: 'dossier.collected' });
    expect(message.fields.routingKey).toBe('dossier.collected');
    expect(message.properties).toMatchObject({
      deliveryMode: 2,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: 'evt-1',
      type: 'dossier.collected',
      correlationId: 'corr-1',
    });
    expect(message.properties.headers).toMatchObject({ 'x-correlation-id': 'corr-1' });
  });

  it('confirms a batch of 500 events, all of which arrive', async () => {
    const batch = Array.from({ length: 500 }, (_, index) => ({
      exchange: names.bridgeEventsExchange,
      routingKey: 'dossier.submitted',
      body: cloudEvent(`batch-${index}`, 'dossier.submitted'),
    }));
    await publisher.publishBatch(batch);
    const messages = await takeMessages(channel, eventsQueue, 500);
    expect(new Set(messages.map((message) => message.properties.messageId as string)).size).toBe(500);
  });

  it('rejects a publish the broker cannot route to an exchange, then keeps working', async () => {
    const missing = `${prefix}.no-such-exchange`;
    await expect(publisher.publish(missing, 'x', cloudEvent('lost'))).rejects.toMatchObject({
      code: MessagingErrorCode.CHANNEL_CLOSED,
    });
    await publisher.publish(names.bridgeEventsExchange, 'dossier.received', cloudEvent('after-failure'));
    const [message] = await takeMessages(channel, eventsQueue, 1);
    expect(message.properties.messageId).toBe('after-failure');
  });

  it('reports which messages of a batch failed', async () => {
    const missing = `${prefix}.no-such-exchange`;
    const failure = await publisher
      .publishBatch([
        { exchange: missing, routingKey: 'x', body: cloudEvent('b-lost') },
        { exchange: missing, routingKey: 'x', body: cloudEvent('b-lost-2') },
      ])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PublishBatchError);
    expect((failure as PublishBatchError).failures.map((entry) => entry.index)).toEqual([0, 1]);
  });

  it('refuses an event without an id before sending anything', async () => {
    await expect(
      publisher.publish(names.bridgeEventsExchange, 'dossier.x', { type: 'dossier.x' }),
    ).rejects.toThrow("non-empty string 'id'");
  });

  it('fails with NOT_CONNECTED, instead of hanging, when there is no connection', async () => {
    const offline = new AmqpConnectionManager({ url: 'amqp://guest:guest@127.0.0.1:1' });
    const lonely = new ConfirmedPublisher(offline, { connectWaitMs: 300 });
    await expect(
      lonely.publish(names.bridgeEventsExchange, 'dossier.x', cloudEvent('nowhere')),
    ).rejects.toMatchObject({
      code: MessagingErrorCode.NOT_CONNECTED,
    });
    await offline.close();
  });
});
