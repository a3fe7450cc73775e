import * as amqp from 'amqplib';
import { CloudEvent } from '@bridge/domain';
import { sleep } from './fault-flow';

/**
 * A consumer of `bridge.events` that, like a real postal backend, survives a broker restart:
 * its queue is durable (events published while it is disconnected wait for it) and it
 * reconnects until closed. Messages redelivered after a reconnect are kept too; `unique()`
 * drops them by event id.
 */
export class DurableTap {
  readonly events: CloudEvent[] = [];
  private connection?: amqp.ChannelModel;
  private closed = false;
  private loop?: Promise<void>;
  /** How many times it had to connect again. */
  reconnects = 0;

  private constructor(
    private readonly url: string,
    private readonly exchange: string,
    private readonly queue: string,
  ) {}

  /** Declares the queue, binds it to `exchange` with `#` and starts consuming. */
  static async start(url: string, exchange: string): Promise<DurableTap> {
    const tap = new DurableTap(url, exchange, `${exchange}.durable-tap`);
    await tap.connect();
    tap.loop = tap.keepConnected();
    return tap;
  }

  unique(): CloudEvent[] {
    const seen = new Set<string>();
    return this.events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  }

  async waitFor(
    predicate: (events: CloudEvent[]) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what} (${this.events.length} events)`);
      await sleep(100);
    }
  }

  /**
   * Waits (up to `timeoutMs`) until every dossier's `dossier.received` has arrived, then names
   * each dossier whose `dossier.*` events are not exactly sequences 1, 2, 3 (collected,
   * submitted, received), with the sequences it got. Empty when the backend saw them all.
   */
  async missingDossierEvents(dossierIds: string[], timeoutMs = 30_000): Promise<string[]> {
    await this.waitFor(
      (all) => dossierIds.every((id) => all.some((e) => e.subject === id && e.type === 'dossier.received')),
      timeoutMs,
      'dossier.received of every dossier',
    ).catch(() => undefined);
    const unique = this.unique();
    return dossierIds.flatMap((id) => {
      const sequences = unique
        .filter((e) => e.subject === id && e.type.startsWith('dossier.'))
        .map((e) => (e.data as { sequence: number }).sequence)
        .sort((a, b) => a - b);
      return sequences.join(',') === '1,2,3' ? [] : [`${id}: ${sequences.join(',')}`];
    });
  }

  /** Stops consuming and deletes the queue. */
  async close(): Promise<void> {
    this.closed = true;
    await this.loop;
    const connection = this.connection;
    if (!connection) return;
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue(this.queue);
    } catch {
      // the broker is away; the queue dies with the private node anyway
    }
    await connection.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const connection = await amqp.connect(this.url);
    connection.on('error', () => undefined);
    connection.on('close', () => {
      if (this.connection === connection) this.connection = undefined;
    });
    const channel = await connection.createChannel();
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    await channel.assertQueue(this.queue, { durable: true });
    await channel.bindQueue(this.queue, this.exchange, '#');
    await channel.consume(this.queue, (message) => {
      if (!message) return;
      this.events.push(JSON.parse(message.content.toString('utf8')) as CloudEvent);
      channel.ack(message);
    });
    this.connection = connection;
  }

  private async keepConnected(): Promise<void> {
    while (!this.closed) {
      if (!this.connection) {
        try {
          await this.connect();
          this.reconnects++;
        } catch {
          // still down
        }
      }
      await sleep(250);
    }
  }
}
