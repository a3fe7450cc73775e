import * as amqp from 'amqplib';
import { CloudEvent } from '@bridge/domain';
import { TEST_AMQP_URL } from './rabbit-admin';

/**
 * A consumer of `bridge.events` for tests, as the postal backend would run one: its own queue
 * bound with `#`, every message kept (including duplicates, so tests can count them).
 */
export class EventTap {
  readonly events: CloudEvent[] = [];
  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.Channel,
  ) {}

  static async start(exchange: string, url = TEST_AMQP_URL): Promise<EventTap> {
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, '#');
    const tap = new EventTap(connection, channel);
    await channel.consume(queue, (message) => {
      if (!message) return;
      tap.events.push(JSON.parse(message.content.toString('utf8')) as CloudEvent);
      channel.ack(message);
    });
    return tap;
  }

  /** Events about one dossier, in arrival order. */
  forDossier(dossierId: string): CloudEvent[] {
    return this.events.filter((e) => e.subject === dossierId);
  }

  /** Unique by id (what a deduplicating consumer keeps). */
  unique(): CloudEvent[] {
    const seen = new Set<string>();
    return this.events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  }

  async waitFor(
    predicate: (events: CloudEvent[]) => boolean,
    timeoutMs = 20_000,
    what = 'events',
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}; got: ${this.events.map((e) => `${e.type}#${(e.data as { sequence?: number })?.sequence ?? ''}`).join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

/** Publishes postal events to `postal.inbound` as the postal system would (persistent, confirmed). */
export async function publishPostal(
  exchange: string,
  events: CloudEvent[],
  url = TEST_AMQP_URL,
): Promise<void> {
  const connection = await amqp.connect(url);
  // A connection or channel that fails (a node stopping, a heartbeat missed on a loaded machine)
  // fails the publish through its pending operations; without listeners amqplib's 'error' events
  // would be thrown in the test process instead.
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    await channel.assertExchange(exchange, 'topic', { durable: true });
    for (const event of events) {
      channel.publish(exchange, event.type, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        contentType: 'application/cloudevents+json',
        messageId: event.id,
        type: event.type,
      });
    }
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close();
  }
}
