import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';

let serial = Math.floor(Math.random() * 90_000_000);

/** A fresh, valid UPU S10 item id (check digit computed). */
function nextItemId(): string {
  serial = (serial + 1) % 100_000_000;
  const digits = serial.toString().padStart(8, '0');
  const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * [8, 6, 4, 2, 3, 5, 9, 7][i], 0);
  const check = 11 - (sum % 11);
  return `EC${digits}${check === 10 ? 0 : check === 11 ? 5 : check}VN`;
}

function collected(agencyCode: string, itemId: string) {
  const address = { line: '12 Lê Duẩn', commune: 'Phường Hải Châu', province: 'Đà Nẵng' };
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/vnpost/tracking',
    type: 'postal.dossier.collected',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {
      itemId,
      agencyCode,
      procedureCode: '1.001612',
      serviceOption: 'both',
      office: 'Bưu cục Hải Châu',
      at: new Date().toISOString(),
      applicant: {
        kind: 'person',
        fullName: 'Nguyễn Thị Thủy',
        citizenId: '048190001234',
        phone: '0905123456',
        address,
      },
      returnAddress: address,
      documents: [{ name: 'Tờ khai đăng ký khai sinh', form: 'original', count: 1 }],
      fees: [{ name: 'Lệ phí', amount: 8000, currency: 'VND' }],
    },
  };
}

/**
 * The postal system under a steady load: publishes `postal.dossier.collected` at a fixed rate
 * (persistent, confirmed) and listens on `bridge.events` for each dossier's `dossier.received`,
 * measuring publish → received latency per dossier.
 */
export class SoakLoad {
  /** Item ids whose publish the broker confirmed, with when they were published. */
  readonly published = new Map<string, number>();
  /** Latencies (ms) of dossiers received since the last `takeWindow()`. */
  private window: number[] = [];
  private readonly received = new Set<string>();
  /** When each event was handed to the broker (its confirm may come after the bridge saw it). */
  private readonly sentAt = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private next = 0;
  publishFailures = 0;

  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly publisher: amqp.ConfirmChannel,
    private readonly inbound: string,
    private readonly codes: string[],
  ) {}

  static async start(url: string, namespace: string, codes: string[]): Promise<SoakLoad> {
    const connection = await amqp.connect(url);
    const publisher = await connection.createConfirmChannel();
    const load = new SoakLoad(connection, publisher, `${namespace}.postal.inbound`, codes);
    const listener = await connection.createChannel();
    const events = `${namespace}.bridge.events`;
    await listener.assertExchange(events, 'topic', { durable: true });
    const { queue } = await listener.assertQueue('', { exclusive: true, autoDelete: true });
    await listener.bindQueue(queue, events, 'dossier.received');
    await listener.consume(queue, (message) => {
      if (!message) return;
      listener.ack(message);
      const event = JSON.parse(message.content.toString('utf8')) as {
        data?: { dossier?: { inboundItemId?: string } };
      };
      const itemId = event.data?.dossier?.inboundItemId;
      const at = itemId ? load.sentAt.get(itemId) : undefined;
      if (itemId && at !== undefined && !load.received.has(itemId)) {
        load.received.add(itemId);
        load.window.push(Date.now() - at);
      }
    });
    return load;
  }

  /** Publishes `rate` events a second (in ticks of 100 ms) until `stopPublishing()`. */
  startPublishing(rate: number): void {
    const started = Date.now();
    let sent = 0;
    this.timer = setInterval(() => {
      const due = Math.floor(((Date.now() - started) / 1000) * rate);
      for (; sent < due; sent++) this.publishOne();
    }, 100);
  }

  stopPublishing(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get receivedCount(): number {
    return this.received.size;
  }

  /** Latencies measured since the last call, and starts a new window. */
  takeWindow(): number[] {
    const taken = this.window;
    this.window = [];
    return taken;
  }

  async close(): Promise<void> {
    this.stopPublishing();
    await this.connection.close().catch(() => undefined);
  }

  private publishOne(): void {
    const itemId = nextItemId();
    const event = collected(this.codes[this.next++ % this.codes.length], itemId);
    const at = Date.now();
    this.sentAt.set(itemId, at);
    this.publisher.publish(
      this.inbound,
      event.type,
      Buffer.from(JSON.stringify(event)),
      {
        persistent: true,
        contentType: 'application/cloudevents+json',
        messageId: event.id,
      },
      (error) => {
        if (error) this.publishFailures++;
        else this.published.set(itemId, at);
      },
    );
  }
}
