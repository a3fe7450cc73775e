import * as amqp from 'amqplib';

/**
 * The load generator's side of RabbitMQ: a confirm channel to publish inputs, a consumer of an
 * output exchange (its own exclusive queue, bound with `#`) calling back with each message.
 */
export class BenchAmqp {
  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly publisher: amqp.ConfirmChannel,
  ) {}

  static async connect(url: string, name: string): Promise<BenchAmqp> {
    const connection = await amqp.connect(url, {
      noDelay: true,
      clientProperties: { connection_name: name },
    });
    const publisher = await connection.createConfirmChannel();
    return new BenchAmqp(connection, publisher);
  }

  /** Publishes one persistent message and resolves on the broker's confirm. */
  publish(exchange: string, routingKey: string, body: object, messageId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.publisher.publish(
        exchange,
        routingKey,
        Buffer.from(JSON.stringify(body)),
        { persistent: true, contentType: 'application/cloudevents+json', messageId, type: routingKey },
        (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
      );
    });
  }

  /** Consumes every message published to `exchange` from now on (auto-ack: it only observes). */
  async tap(exchange: string, onMessage: (body: Record<string, unknown>) => void): Promise<void> {
    const channel = await this.connection.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, '#');
    await channel.consume(
      queue,
      (message) => {
        if (message) onMessage(JSON.parse(message.content.toString('utf8')) as Record<string, unknown>);
      },
      { noAck: true },
    );
  }

  /** Deletes exchanges and queues by name (missing ones are fine). */
  async deleteAll(exchanges: string[], queues: string[]): Promise<void> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    for (const queue of queues) await channel.deleteQueue(queue).catch(() => undefined);
    for (const exchange of exchanges) await channel.deleteExchange(exchange).catch(() => undefined);
    await channel.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.publisher.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}
