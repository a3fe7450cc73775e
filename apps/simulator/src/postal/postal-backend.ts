import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { CloudEvent, DeadLetteredData, Dossier, DossierEventData, ServiceOption } from '@bridge/domain';
import { dossierDocuments, dossierFees, randomApplicant } from './postal-applicants';
import { pick, Random, S10Issuer } from './postal-identities';
import { LedgerEntry, PostalLedger } from './postal-ledger';

/** Start options of the simulated postal backend. */
export interface PostalBackendOptions {
  amqpUrl: string;
  /** BRIDGE_NAMESPACE of the bridge it talks to (prefix of its exchanges). */
  namespace?: string;
  random: Random;
  /** How long the post takes for each of its steps, [min, max] ms (default [200, 1200]). */
  stepDelayMs?: [number, number];
  /** Share of result deliveries that fail the first time (default 0.1). */
  deliveryFailureRate?: number;
  /** Share of `collected` events published twice with the same id (default 0.05). */
  duplicateRate?: number;
  /** Sees every bridge event once (after de-duplication), e.g. to show circuits. */
  onEvent?: (event: CloudEvent) => void;
}

/** What the post is told to collect. */
export interface CollectOrder {
  agencyCode: string;
  procedureCode: string;
  procedureName: string;
  serviceOption: Exclude<ServiceOption, 'return'>;
}

/** Events of one dossier not yet applied: applied strictly in sequence order. */
interface DossierStream {
  next: number;
  waiting: Map<number, CloudEvent<DossierEventData>>;
}

const SOURCE = '/vnpost/hcc-buu-chinh';
const OFFICES = [
  'Bưu cục Hải Châu',
  'Bưu cục Thanh Khê',
  'Bưu cục Sơn Trà',
  'Bưu cục Liên Chiểu',
  'Bưu cục Hòa Vang',
];

/**
 * A simulated postal backend (the post's public-administration service system): publishes the
 * post's events about each dossier on `postal.inbound` and reacts to the bridge's normalized
 * events from its own queue on `bridge.events` — de-duplicated by event id, applied in each
 * dossier's sequence order — the way the post's real system would: hand over after receipt,
 * collect supplements, collect and deliver results (sometimes failing once).
 */
export class PostalBackend {
  readonly ledger = new PostalLedger();
  readonly deadLetters: DeadLetteredData[] = [];
  /** Publishes that failed (the broker refused or went away). */
  publishFailures = 0;
  /** Events the broker could route to no queue (the bridge's queue missing). */
  unroutable = 0;
  private readonly s10: S10Issuer;
  private readonly seen = new Set<string>();
  private readonly streams = new Map<string, DossierStream>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  private constructor(
    private readonly options: PostalBackendOptions,
    private readonly connection: amqp.ChannelModel,
    private readonly publisher: amqp.ConfirmChannel,
    private readonly names: { inbound: string; events: string },
  ) {
    this.s10 = new S10Issuer(options.random);
  }

  /** Connects, declares its own exclusive queue bound to every bridge event, starts consuming. */
  static async start(options: PostalBackendOptions): Promise<PostalBackend> {
    const prefix = options.namespace ? `${options.namespace}.` : '';
    const names = { inbound: `${prefix}postal.inbound`, events: `${prefix}bridge.events` };
    const connection = await amqp.connect(options.amqpUrl, {
      clientProperties: { connection_name: 'postal-backend-simulator' },
    });
    const publisher = await connection.createConfirmChannel();
    await publisher.assertExchange(names.inbound, 'topic', { durable: true });
    const backend = new PostalBackend(options, connection, publisher, names);
    publisher.on('return', () => backend.unroutable++);
    const consumer = await connection.createChannel();
    await consumer.assertExchange(names.events, 'topic', { durable: true });
    const { queue } = await consumer.assertQueue(`${prefix}postal-backend.bridge-events`, {
      exclusive: true,
    });
    await consumer.bindQueue(queue, names.events, '#');
    await consumer.prefetch(100);
    await consumer.consume(queue, (message) => {
      if (!message) return;
      try {
        backend.receive(JSON.parse(message.content.toString('utf8')) as CloudEvent);
      } finally {
        consumer.ack(message);
      }
    });
    return backend;
  }

  /** Collects a new dossier at a post office and announces it; the ledger keeps it. */
  async collect(order: CollectOrder): Promise<LedgerEntry> {
    const { random } = this.options;
    const itemId = this.s10.next('EC');
    const applicant = randomApplicant(random);
    const entry = this.ledger.started({
      itemId,
      agencyCode: order.agencyCode,
      serviceOption: order.serviceOption,
    });
    const event = this.event('postal.dossier.collected', {
      itemId,
      agencyCode: order.agencyCode,
      procedureCode: order.procedureCode,
      serviceOption: order.serviceOption,
      office: pick(random, OFFICES),
      at: new Date().toISOString(),
      applicant,
      ...(order.serviceOption === 'both' ? { returnAddress: applicant.address } : {}),
      documents: dossierDocuments(random, order.procedureName),
      fees: dossierFees(random),
    });
    await this.publish(event);
    if (random() < (this.options.duplicateRate ?? 0.05)) await this.publish(event);
    return entry;
  }

  /** Stops reacting, waits for publishes under way, and disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.allSettled([...this.inFlight]);
    await this.connection.close().catch(() => undefined);
  }

  private receive(event: CloudEvent): void {
    if (this.seen.has(event.id)) {
      this.ledger.redelivered++;
      return;
    }
    this.seen.add(event.id);
    this.options.onEvent?.(event);
    if (event.type === 'delivery.dead_lettered') this.deadLetters.push(event.data as DeadLetteredData);
    if (!event.type.startsWith('dossier.')) return;
    const typed = event as CloudEvent<DossierEventData>;
    const id = typed.data.dossier.id;
    const stream: DossierStream = this.streams.get(id) ?? { next: 1, waiting: new Map() };
    this.streams.set(id, stream);
    if (typed.data.sequence < stream.next) return;
    stream.waiting.set(typed.data.sequence, typed);
    for (let next = stream.waiting.get(stream.next); next; next = stream.waiting.get(stream.next)) {
      stream.waiting.delete(stream.next);
      stream.next++;
      this.react(next.data.dossier);
    }
  }

  /** What the post does when the bridge reports a status. */
  private react(dossier: Dossier): void {
    const entry = this.ledger.entryFor(dossier);
    if (!entry) return;
    this.ledger.saw(entry, dossier);
    const ref = entry.itemId ? { itemId: entry.itemId } : { dossierRef: dossier.id };
    switch (dossier.status) {
      case 'received':
        if (entry.origin === 'post')
          this.later('postal.dossier.handed_over', { ...ref, handoverRecord: `BBGN-${entry.itemId}` });
        break;
      case 'supplement_requested':
        this.later('postal.supplement.collected', {
          ...ref,
          documents: [{ name: 'Giấy tờ bổ sung theo yêu cầu của cơ quan', form: 'copy', count: 1 }],
        });
        break;
      case 'result_ready':
        if (dossier.serviceOption !== 'send')
          this.later('postal.result.collected', { ...ref, resultItemId: this.s10.next('EB') });
        break;
      case 'result_collected': {
        const fails = this.options.random() < (this.options.deliveryFailureRate ?? 0.1);
        this.later(fails ? 'postal.result.delivery_failed' : 'postal.result.delivered', {
          itemId: dossier.resultItemId,
          ...(fails ? { reason: 'Người nhận vắng nhà, hẹn phát lại' } : {}),
        });
        break;
      }
      case 'delivery_failed':
        this.later('postal.result.delivered', { itemId: dossier.resultItemId });
        break;
      default:
    }
  }

  private later(type: string, data: Record<string, unknown>): void {
    if (this.closed) return;
    const [min, max] = this.options.stepDelayMs ?? [200, 1200];
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        const office = pick(this.options.random, OFFICES);
        void this.publish(this.event(type, { office, at: new Date().toISOString(), ...data }));
      },
      min + this.options.random() * (max - min),
    );
    this.timers.add(timer);
  }

  private event(type: string, data: Record<string, unknown>): CloudEvent {
    return {
      specversion: '1.0',
      id: randomUUID(),
      source: SOURCE,
      type,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data,
    };
  }

  private async publish(event: CloudEvent): Promise<void> {
    const sent = new Promise<void>((resolve) => {
      this.publisher.publish(
        this.names.inbound,
        event.type,
        Buffer.from(JSON.stringify(event)),
        {
          persistent: true,
          mandatory: true,
          contentType: 'application/cloudevents+json',
          messageId: event.id,
          type: event.type,
        },
        (error) => {
          if (error) this.publishFailures++;
          resolve();
        },
      );
    });
    this.inFlight.add(sent);
    await sent;
    this.inFlight.delete(sent);
  }
}
