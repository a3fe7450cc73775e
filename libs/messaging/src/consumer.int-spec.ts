import * as amqp from 'amqplib';
import { TEST_AMQP_URL, takeMessages, uniqueAmqpPrefix, waitFor } from '@bridge/testing';
import { AmqpConnectionManager } from './amqp-connection';
import { ConfirmedPublisher } from './confirmed-publisher';
import { ConsumeOutcome, MessageHandler, ReceivedMessage } from './consume-outcome';
import { ManualAckConsumer } from './consumer';
import { MessagingLogger } from './logger';
import { DEAD_LETTER_REASON_HEADER } from './dead-letter';
import {
  BridgeTopologyNames,
  bridgeTopologyNames,
  declareBridgeTopology,
  deleteBridgeTopology,
} from './topology';

/** Each test gets a fresh topology, manager, publisher and consumer. */
interface Rig {
  names: BridgeTopologyNames;
  manager: AmqpConnectionManager;
  publisher: ConfirmedPublisher;
  consumer: ManualAckConsumer;
  send(id: string): Promise<void>;
  readyCount(queue: string): Promise<number>;
}

describe('ManualAckConsumer (RabbitMQ)', () => {
  let admin: amqp.ChannelModel;
  let channel: amqp.Channel;
  let rig: Rig;

  beforeAll(async () => {
    admin = await amqp.connect(TEST_AMQP_URL);
    channel = await admin.createChannel();
  });

  beforeEach(async () => {
    const prefix = uniqueAmqpPrefix('consumer');
    const names = bridgeTopologyNames(prefix);
    await declareBridgeTopology(channel, names);
    const manager = new AmqpConnectionManager({ url: TEST_AMQP_URL, connectionName: prefix });
    await manager.connect();
    const publisher = new ConfirmedPublisher(manager);
    rig = {
      names,
      manager,
      publisher,
      consumer: new ManualAckConsumer(manager),
      send: (id) =>
        publisher.publish(names.postalInboundExchange, 'postal.dossier.collected', {
          id,
          type: 'postal.dossier.collected',
        }),
      readyCount: async (queue) => (await channel.checkQueue(queue)).messageCount,
    };
  });

  afterEach(async () => {
    await rig.consumer.stop();
    await rig.publisher.close();
    await rig.manager.close();
    await deleteBridgeTopology(channel, rig.names);
  });

  afterAll(async () => {
    await admin.close();
  });

  const consume = (handler: MessageHandler, requeueDelayMs = 200) =>
    rig.consumer.consume(rig.names.postalInboundQueue, handler, {
      deadLetterExchange: rig.names.deadLetterExchange,
      requeueDelayMs,
    });

  it('acks a handled message: the handler sees the parsed body and the queue ends empty', async () => {
    const seen: ReceivedMessage[] = [];
    await consume(async (message) => {
      seen.push(message);
      return { action: 'ack' } as const;
    });
    await rig.send('ok-1');
    await waitFor(() => seen.length === 1, 'the delivery');
    await rig.consumer.stop();
    expect(seen[0]).toMatchObject({
      body: { id: 'ok-1' },
      messageId: 'ok-1',
      type: 'postal.dossier.collected',
    });
    expect(await rig.readyCount(rig.names.postalInboundQueue)).toBe(0);
  });

  it('dead-letters with the reason: the message is in the dead-letter queue and gone from the original', async () => {
    await consume(async () => ({ action: 'dead-letter', reason: 'unknown agency HN-999' }));
    await rig.send('dead-1');
    const [dead] = await takeMessages(channel, rig.names.postalInboundDeadQueue, 1);
    await rig.consumer.stop();
    expect(JSON.parse(dead.content.toString())).toEqual({ id: 'dead-1', type: 'postal.dossier.collected' });
    expect(dead.properties.messageId).toBe('dead-1');
    expect(dead.properties.deliveryMode).toBe(2);
    expect(dead.properties.headers).toMatchObject({
      [DEAD_LETTER_REASON_HEADER]: 'unknown agency HN-999',
      'x-original-queue': rig.names.postalInboundQueue,
      'x-original-routing-key': 'postal.dossier.collected',
    });
    expect(await rig.readyCount(rig.names.postalInboundQueue)).toBe(0);
  });

  it('dead-letters a body that is not JSON without calling the handler', async () => {
    const handler = jest.fn(async (): Promise<ConsumeOutcome> => ({ action: 'ack' }));
    await consume(handler);
    channel.publish(rig.names.postalInboundExchange, 'raw.EMA', Buffer.from('EMA;RR123456785VN;not json'));
    const [dead] = await takeMessages(channel, rig.names.postalInboundDeadQueue, 1);
    expect(dead.content.toString()).toBe('EMA;RR123456785VN;not json');
    expect(dead.properties.headers?.[DEAD_LETTER_REASON_HEADER]).toBe('body is not valid JSON');
    expect(handler).not.toHaveBeenCalled();
  });

  it('requeues after a pause when the handler throws, and the second delivery succeeds', async () => {
    const deliveries: { at: number; redelivered: boolean }[] = [];
    await consume(async (message) => {
      deliveries.push({ at: Date.now(), redelivered: message.redelivered });
      if (deliveries.length === 1) throw new Error('database is down');
      return { action: 'ack' };
    }, 300);
    await rig.send('flaky-1');
    await waitFor(() => deliveries.length === 2, 'the redelivery');
    await rig.consumer.stop();
    expect(deliveries[1].redelivered).toBe(true);
    expect(deliveries[1].at - deliveries[0].at).toBeGreaterThanOrEqual(280);
    expect(await rig.readyCount(rig.names.postalInboundQueue)).toBe(0);
    expect(await rig.readyCount(rig.names.postalInboundDeadQueue)).toBe(0);
  });

  /**
   * A consumer whose dependency is away until `dependency.up` (its probe fails as a refused
   * connection meanwhile); it records every delivery. With `logger`, the consumer is a new one
   * that logs there.
   */
  async function consumeWithDependency(
    options: { holdMaxMs?: number; reportEveryMs?: number; logger?: MessagingLogger } = {},
  ) {
    if (options.logger) {
      await rig.consumer.stop();
      rig.consumer = new ManualAckConsumer(rig.manager, { logger: options.logger });
    }
    const dependency = { up: false, probes: 0 };
    const deliveries: { id: string; count: unknown }[] = [];
    const applied = new Set<string>();
    await rig.consumer.consume(
      rig.names.postalInboundQueue,
      async (message) => {
        deliveries.push({ id: String(message.messageId), count: message.headers['x-delivery-count'] });
        if (!dependency.up) return { action: 'pause', reason: 'ECONNREFUSED: database away' };
        applied.add(String(message.messageId));
        return { action: 'ack' };
      },
      {
        deadLetterExchange: rig.names.deadLetterExchange,
        prefetch: 2,
        probe: async () => {
          dependency.probes++;
          if (!dependency.up) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
          return true;
        },
        probeIntervalMs: 100,
        holdMaxMs: options.holdMaxMs,
        reportEveryMs: options.reportEveryMs,
      },
    );
    return { dependency, deliveries, applied };
  }

  it('pauses while a dependency is away: holds the messages it has, takes no more, never returns one, and applies all once the probe says it is back', async () => {
    const { dependency, deliveries, applied } = await consumeWithDependency();
    for (let i = 0; i < 6; i++) await rig.send(`held-${i}`);
    await waitFor(() => dependency.probes >= 10, 'ten probes while the dependency is away');
    // Only what was prefetched before the pause was seen, once each; the rest waits in the queue.
    expect(deliveries.length).toBeLessThanOrEqual(2);
    expect(await rig.readyCount(rig.names.postalInboundQueue)).toBeGreaterThanOrEqual(4);
    dependency.up = true;
    await waitFor(() => applied.size === 6, 'all six applied once the dependency is back');
    await rig.consumer.stop();
    // None was ever returned to the queue: no delivery was counted, nothing dead-lettered.
    expect(deliveries.every((d) => d.count === undefined)).toBe(true);
    expect(await rig.readyCount(rig.names.postalInboundQueue)).toBe(0);
    expect(await rig.readyCount(rig.names.postalInboundDeadQueue)).toBe(0);
  });

  it('says again while paused how long, how many it holds and why the probe fails, and stops once resumed', async () => {
    const reports: Record<string, unknown>[] = [];
    const logger = {
      info: () => undefined,
      error: () => undefined,
      warn: (context: Record<string, unknown>, message: string) => {
        if (message === 'a dependency is still away: consumer paused') reports.push(context);
      },
    };
    const { dependency, applied } = await consumeWithDependency({ logger, reportEveryMs: 300 });
    for (let i = 0; i < 3; i++) await rig.send(`quiet-${i}`);
    await waitFor(() => reports.length >= 2, 'two reports while the dependency is away');
    expect(reports[1]).toMatchObject({
      queue: rig.names.postalInboundQueue,
      held: 2,
      lastProbe: 'connect ECONNREFUSED 127.0.0.1:5432',
    });
    expect(reports[1].pausedForS).toEqual(expect.any(Number));
    dependency.up = true;
    await waitFor(() => applied.size === 3, 'all three applied once the dependency is back');
    const after = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(reports.length).toBe(after);
  });

  it('gives back what it held too long: returned once, counted once, left in the queue until the dependency is back', async () => {
    const { dependency, deliveries, applied } = await consumeWithDependency({ holdMaxMs: 500 });
    for (let i = 0; i < 4; i++) await rig.send(`long-${i}`);
    await waitFor(
      async () => (await rig.readyCount(rig.names.postalInboundQueue)) === 4,
      'all four back in the queue after the hold limit',
    );
    // Given back with the consumer stopped: they wait in the queue and do not come straight back.
    const seenWhileAway = deliveries.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(deliveries.length).toBe(seenWhileAway);
    expect(await rig.readyCount(rig.names.postalInboundQueue)).toBe(4);
    dependency.up = true;
    await waitFor(() => applied.size === 4, 'all four applied once the dependency is back');
    const away = new Set(deliveries.slice(0, seenWhileAway).map((d) => d.id));
    // Counted once by the outage, however long it lasted: what it had held (at least those the
    // handler saw) comes back with count 1, nothing with more.
    for (const d of deliveries.slice(seenWhileAway)) {
      expect([undefined, 1]).toContain(d.count);
      if (away.has(d.id)) expect(d.count).toBe(1);
    }
    expect(away.size).toBeGreaterThan(0);
    expect(await rig.readyCount(rig.names.postalInboundQueue)).toBe(0);
    expect(await rig.readyCount(rig.names.postalInboundDeadQueue)).toBe(0);
  });

  it('stop() waits for the in-flight handler, whose ack then lands', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    await consume(async () => {
      started = true;
      await released;
      return { action: 'ack' };
    });
    await rig.send('slow-1');
    await waitFor(() => started, 'the handler to start');
    let stopped = false;
    const stopping = rig.consumer.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    expect(rig.consumer.inFlightCount()).toBe(1);
    release();
    await stopping;
    expect(rig.consumer.inFlightCount()).toBe(0);
    // Had the ack not been sent before the channel closed, the message would be back in the queue.
    expect(await rig.readyCount(rig.names.postalInboundQueue)).toBe(0);
  });

  it('refuses to consume a queue that does not exist, naming it', async () => {
    await expect(
      rig.consumer.consume(`${rig.names.postalInboundQueue}.missing`, async () => ({ action: 'ack' }), {
        deadLetterExchange: rig.names.deadLetterExchange,
      }),
    ).rejects.toThrow(`${rig.names.postalInboundQueue}.missing`);
  });
});
