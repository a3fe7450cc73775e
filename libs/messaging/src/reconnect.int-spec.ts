import * as amqp from 'amqplib';
import { TEST_AMQP_URL, closeAmqpConnectionsNamed, uniqueAmqpPrefix, waitFor } from '@bridge/testing';
import { AmqpConnectionManager } from './amqp-connection';
import { ConfirmedPublisher } from './confirmed-publisher';
import { ManualAckConsumer } from './consumer';
import { MessagingError, MessagingErrorCode } from './errors';
import { bridgeTopologyNames, declareBridgeTopology, deleteBridgeTopology } from './topology';

/**
 * The broker closing our connection (as `rabbitmqctl close_connection`, a broker restart or a
 * network cut would) must cost nothing: the manager reconnects, re-declares, re-subscribes.
 * Only this test's own named connections are closed, never other tests' connections.
 */
describe('AmqpConnectionManager recovery (RabbitMQ)', () => {
  const prefix = uniqueAmqpPrefix('reconnect');
  const names = bridgeTopologyNames(prefix);
  let admin: amqp.ChannelModel;
  let channel: amqp.Channel;

  beforeAll(async () => {
    admin = await amqp.connect(TEST_AMQP_URL);
    channel = await admin.createChannel();
  });

  afterAll(async () => {
    await deleteBridgeTopology(channel, names);
    await admin.close();
  });

  it('delivers every one of a stream of events although the broker closes the connection mid-stream', async () => {
    const connectionName = `${prefix}-app`;
    const manager = new AmqpConnectionManager({
      url: TEST_AMQP_URL,
      connectionName,
      backoff: { maxDelayMs: 1_000 },
    });
    const publisher = new ConfirmedPublisher(manager, { confirmTimeoutMs: 3_000, connectWaitMs: 3_000 });
    const consumer = new ManualAckConsumer(manager);
    try {
      let setupRuns = 0;
      await manager.addSetup(async (connection) => {
        setupRuns++;
        const setupChannel = await connection.createChannel();
        await declareBridgeTopology(setupChannel, names);
        await setupChannel.close();
      });
      await manager.connect();
      const received = new Set<string>();
      await consumer.consume(
        names.postalInboundQueue,
        async (message) => {
          received.add(message.messageId ?? '');
          return { action: 'ack' };
        },
        { deadLetterExchange: names.deadLetterExchange, prefetch: 20 },
      );

      // Publishing goes on until the close has landed and 50 more events went out after it, so the
      // close hits mid-stream however fast the broker confirms (bounded: 20,000 events at most).
      const limit = 20_000;
      let closing: Promise<number> | undefined;
      let published = 0;
      let publishedWhenClosed = -1;
      let failedAttempts = 0;
      for (let index = 0; index < limit; index++) {
        if (publishedWhenClosed >= 0 && published >= publishedWhenClosed + 50) break;
        if (index === 20) {
          closing = closeAmqpConnectionsNamed(connectionName);
          void closing.then(
            () => (publishedWhenClosed = published),
            () => undefined,
          );
        }
        const event = {
          specversion: '1.0',
          id: `evt-${index}`,
          source: '/test',
          type: 'postal.dossier.handed_over',
        };
        // The outbox relay's contract: keep the event until the broker confirms it.
        for (;;) {
          try {
            await publisher.publish(names.postalInboundExchange, event.type, event);
            published++;
            break;
          } catch (error) {
            failedAttempts++;
            expect(error).toBeInstanceOf(MessagingError);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }
      const total = published;
      expect(await closing).toBe(1);
      // The close hit while the stream was still flowing, not after it.
      expect(publishedWhenClosed).toBeGreaterThan(20);
      expect(publishedWhenClosed).toBeLessThan(total);

      await waitFor(() => received.size === total, `all ${total} events at the consumer`, 15_000);
      // The topology setup ran again on the new connection.
      expect(setupRuns).toBeGreaterThanOrEqual(2);
      // A publish caught by the close may fail and be retried, never more than a handful.
      expect(failedAttempts).toBeLessThan(50);
    } finally {
      await consumer.stop();
      await publisher.close();
      await manager.close();
    }
  }, 30_000);

  it('reports the outage to health checks and recovers by itself', async () => {
    const connectionName = `${prefix}-health`;
    const manager = new AmqpConnectionManager({
      url: TEST_AMQP_URL,
      connectionName,
      backoff: { initialDelayMs: 1_500, jitter: 0 },
    });
    try {
      await manager.connect();
      await manager.ping();
      expect(manager.isConnected()).toBe(true);

      expect(await closeAmqpConnectionsNamed(connectionName)).toBe(1);
      await waitFor(() => !manager.isConnected(), 'the manager to notice the close', 1_000);
      await expect(manager.ping()).rejects.toMatchObject({ code: MessagingErrorCode.NOT_CONNECTED });

      await manager.waitForConnection(5_000);
      await manager.ping();
      expect(manager.isConnected()).toBe(true);
    } finally {
      await manager.close();
    }
    expect(manager.isConnected()).toBe(false);
    await expect(manager.waitForConnection(10)).rejects.toMatchObject({ code: MessagingErrorCode.CLOSED });
  }, 20_000);
});
