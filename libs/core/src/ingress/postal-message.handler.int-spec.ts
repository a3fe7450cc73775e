import * as amqp from 'amqplib';
import { DataSource } from 'typeorm';
import {
  AmqpConnectionManager,
  BridgeTopologyNames,
  bridgeTopologyNames,
  DEAD_LETTER_REASON_HEADER,
  DEAD_LETTERED_AT_HEADER,
  declareBridgeTopology,
  deleteBridgeTopology,
  ManualAckConsumer,
  ReceivedMessage,
} from '@bridge/messaging';
import { AgencyEntity, DossierEntity, OutboxMessageEntity } from '@bridge/persistence';
import {
  collectedEvent,
  createTestDatabase,
  deadLettersMentioning,
  TEST_AMQP_URL,
  TestDatabase,
  uniqueAmqpPrefix,
  waitFor,
} from '@bridge/testing';
import { AdapterProvider } from '../delivery/adapter-provider';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { AgencyChangesService } from '../delivery/agency-changes.service';
import { DeadLetterActionsService } from '../ops/dead-letter-actions.service';
import { DeadQueueReader } from './dead-queue-reader';
import { PostalIngressService } from './postal-ingress.service';
import { PostalMessageHandler } from './postal-message.handler';
import { PostalTrackingService } from './postal-tracking.service';

const AGENCY = '000.00.54.H48';
const UNREGISTERED = '000.00.99.H48';

async function registerAgency(ds: DataSource, code: string): Promise<void> {
  await ds.getRepository(AgencyEntity).insert({
    code,
    name: `Sở Tư pháp ${code}`,
    level: 'department',
    procedures: [{ code: '1.001612', name: 'Đăng ký khai sinh', byPost: true }],
    specVersion: 1,
  });
}

/**
 * The postal consumer as the worker runs it — handler, dead-letter queue reader, a real
 * queue with its delivery limit, a real database — fed messages no bridge can take.
 */
describe('postal message handler on postal.inbound (RabbitMQ, PostgreSQL)', () => {
  let db: TestDatabase;
  let admin: amqp.ChannelModel;
  let channel: amqp.ConfirmChannel;
  let names: BridgeTopologyNames;
  let manager: AmqpConnectionManager;
  let consumer: ManualAckConsumer;
  let ingress: PostalIngressService;
  let deadLetters: DeadLetterService;
  /** Ids of events whose handling the test breaks, as a bug in the bridge would. */
  const broken = new Set<string>();
  const errors: string[] = [];
  const deliveries = new Map<string, number>();

  beforeAll(async () => {
    db = await createTestDatabase('pmhandler');
    await registerAgency(db.dataSource, AGENCY);
    deadLetters = new DeadLetterService(db.dataSource);
    ingress = new PostalIngressService(db.dataSource, undefined, undefined, deadLetters);
    const tracking = new PostalTrackingService(db.dataSource, ingress);
    const buggy = Object.create(ingress) as PostalIngressService;
    buggy.accept = async (doc, correlationId, options) => {
      const id = (doc as { id?: string }).id ?? '';
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
      if (broken.has(id)) throw new TypeError("Cannot read properties of undefined (reading 'agencyCode')");
      return ingress.accept(doc, correlationId, options);
    };
    const log = { error: (m: string) => errors.push(m), warn: () => undefined };
    const handler = new PostalMessageHandler(buggy, tracking, deadLetters, { log });
    const reader = new DeadQueueReader(deadLetters, log);

    admin = await amqp.connect(TEST_AMQP_URL);
    channel = await admin.createConfirmChannel();
    names = bridgeTopologyNames(uniqueAmqpPrefix('pmhandler'));
    await declareBridgeTopology(channel, names);
    manager = new AmqpConnectionManager({ url: TEST_AMQP_URL, connectionName: names.postalInboundQueue });
    await manager.connect();
    consumer = new ManualAckConsumer(manager);
    const probe = async () => true;
    await consumer.consume(names.postalInboundQueue, (m) => handler.handle(m), {
      deadLetterExchange: names.deadLetterExchange,
      requeueDelayMs: 100,
      probe,
    });
    await consumer.consume(names.postalInboundDeadQueue, (m) => reader.handle(m), {
      deadLetterExchange: names.deadLetterExchange,
      keepText: true,
      probe,
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await manager?.close();
    if (names) await deleteBridgeTopology(channel, names).catch(() => undefined);
    await admin?.close();
    await db?.drop();
  });

  async function publish(event: object): Promise<void> {
    // No messageId: an 8,000-character one does not fit an AMQP short string.
    channel.publish(
      names.postalInboundExchange,
      'postal.dossier.collected',
      Buffer.from(JSON.stringify(event)),
      {
        persistent: true,
        contentType: 'application/cloudevents+json',
        type: 'postal.dossier.collected',
      },
    );
    await channel.waitForConfirms();
  }

  const lettersWhere = (text: string) => deadLettersMentioning(db.dataSource, text);
  const dossierOf = (itemId: string) =>
    db.dataSource.getRepository(DossierEntity).findOneBy({ inboundItemId: itemId });
  const replay = (id: string) =>
    new DeadLetterActionsService(
      db.dataSource,
      deadLetters,
      ingress,
      new PostalTrackingService(db.dataSource, ingress),
      // Postal events only: no agency record is replayed here.
      undefined as unknown as AdapterProvider,
      undefined as unknown as AgencyChangesService,
    ).replay(id, 'ops@test');
  const queued = async (queue: string) => (await channel.checkQueue(queue)).messageCount;

  it('dead-letters an event whose id is 8,000 characters at once, naming the attribute, and takes the next event', async () => {
    const long = collectedEvent(AGENCY, { id: `poison-${'x'.repeat(8_000)}` });
    const next = collectedEvent(AGENCY);
    await publish(long);
    await publish(next);
    const itemId = (long.data as { itemId: string }).itemId;
    await waitFor(
      async () => (await lettersWhere(itemId)).length === 1,
      'the dead letter of the long id',
      20_000,
    );
    const [letter] = await lettersWhere(itemId);
    expect(letter.reason).toMatch(/^invalid postal event: \/id is longer than 256 characters/);
    expect(letter.state).toBe('open');
    await waitFor(
      async () => !!(await dossierOf((next.data as { itemId: string }).itemId)),
      'the next dossier',
    );
    expect(deliveries.get(long.id)).toBe(1);
    expect(await queued(names.postalInboundQueue)).toBe(0);
  });

  it('records a dead-lettered message once when the dead-letter queue delivers it again (a crash between commit and ack), and a later dead-lettering of the same event again', async () => {
    const event = collectedEvent(AGENCY);
    const reader = new DeadQueueReader(deadLetters);
    const dead = (headers: Record<string, unknown>, redelivered: boolean): ReceivedMessage => ({
      body: event,
      messageId: event.id,
      type: 'postal.dossier.collected',
      correlationId: undefined,
      headers,
      exchange: names.deadLetterExchange,
      routingKey: names.postalInboundQueue,
      redelivered,
      raw: { content: Buffer.from(JSON.stringify(event)) } as amqp.ConsumeMessage,
    });
    const ours = {
      [DEAD_LETTER_REASON_HEADER]: 'the bridge failed on this message (error id 1)',
      [DEAD_LETTERED_AT_HEADER]: '2026-12-01T08:00:00.000Z',
    };
    const brokers = (count: number) => ({
      'x-death': [{ reason: 'delivery_limit', queue: names.postalInboundQueue, count, time: 1_764_576_000 }],
    });
    expect(await reader.handle(dead(ours, false))).toEqual({ action: 'ack' });
    expect(await reader.handle(dead(ours, true))).toEqual({ action: 'ack' });
    expect(await reader.handle(dead(brokers(1), false))).toEqual({ action: 'ack' });
    expect(await reader.handle(dead(brokers(1), true))).toEqual({ action: 'ack' });
    expect((await lettersWhere(event.id)).map((l) => l.errorCode).sort()).toEqual([
      'DELIVERY_LIMIT',
      'HANDLER_FAILED',
    ]);
    // Dead-lettered again later (after a replay, say): a new dead letter.
    await reader.handle(dead({ ...ours, [DEAD_LETTERED_AT_HEADER]: '2026-12-01T09:00:00.000Z' }, false));
    await reader.handle(dead(brokers(2), false));
    expect(await lettersWhere(event.id)).toHaveLength(4);
  });

  it('logs a bug with an error id, tries again a few times, then keeps the event as a dead letter naming that id', async () => {
    const bug = collectedEvent(AGENCY);
    const fine = collectedEvent(AGENCY);
    broken.add(bug.id);
    await publish(bug);
    await publish(fine);
    await waitFor(
      async () => (await lettersWhere(bug.id)).length === 1,
      'the dead letter of the bug',
      30_000,
    );
    const [letter] = await lettersWhere(bug.id);
    const errorId = /error id ([0-9a-f-]{36})/.exec(letter.reason)?.[1];
    expect(letter).toMatchObject({ errorCode: 'HANDLER_FAILED', operation: 'postal.dossier.collected' });
    expect(letter.reason).toContain("TypeError: Cannot read properties of undefined (reading 'agencyCode')");
    expect(deliveries.get(bug.id)).toBe(3);
    // Each delivery was logged with its own error id; the last one is the dead letter's.
    const logged = errors.filter((e) => e.includes(`postal message`) && e.includes('TypeError'));
    expect(logged.length).toBeGreaterThanOrEqual(3);
    expect(errors.some((e) => e.includes(`error id ${errorId}`))).toBe(true);
    expect(await dossierOf((fine.data as { itemId: string }).itemId)).not.toBeNull();
    await waitFor(
      async () => (await queued(names.postalInboundDeadQueue)) === 0,
      'the dead-letter queue read',
    );

    // Replayed once the bug is fixed, it becomes a dossier.
    broken.delete(bug.id);
    expect(await replay(letter.id)).toEqual({ kind: 'done' });
    expect(await dossierOf((bug.data as { itemId: string }).itemId)).not.toBeNull();
  });

  it('keeps an event for an agency not registered as a dead letter with the reason and announces postal.event_refused; a replay once it is registered files it', async () => {
    const refused = collectedEvent(UNREGISTERED);
    const itemId = (refused.data as { itemId: string }).itemId;
    await publish(refused);
    await waitFor(
      async () => (await lettersWhere(refused.id)).length === 1,
      'the dead letter of the refusal',
    );
    const [letter] = await lettersWhere(refused.id);
    expect(letter).toMatchObject({
      errorCode: 'REFUSED',
      agencyCode: UNREGISTERED,
      reason: `agency ${UNREGISTERED} is not registered with the bridge (data.agencyCode)`,
    });
    const announced = await db.dataSource
      .getRepository(OutboxMessageEntity)
      .findOneByOrFail({ topic: 'postal.event_refused', messageId: `refused:${letter.id}` });
    expect(announced.payload).toMatchObject({
      type: 'postal.event_refused',
      data: {
        itemId,
        eventId: refused.id,
        eventType: 'postal.dossier.collected',
        reason: letter.reason,
        deadLetterId: letter.id,
      },
    });
    expect(await dossierOf(itemId)).toBeNull();

    await registerAgency(db.dataSource, UNREGISTERED);
    expect(await replay(letter.id)).toEqual({ kind: 'done' });
    expect(await dossierOf(itemId)).not.toBeNull();
  });
});
