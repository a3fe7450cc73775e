import { Controller, INestApplication, Inject, Type } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import * as amqp from 'amqplib';
import {
  AmqpConnectionManager,
  BridgeTopologyNames,
  bridgeTopologyNames,
  ConfirmedPublisher,
  ConsumeOutcome,
  declareBridgeTopology,
  deleteBridgeTopology,
  ManualAckContext,
} from '@bridge/messaging';
import { AgencyEntity, DossierEntity } from '@bridge/persistence';
import {
  closeAmqpConnectionsNamed,
  collectedEvent,
  createTestDatabase,
  deadLettersMentioning,
  TEST_AMQP_URL,
  TestDatabase,
  uniqueAmqpPrefix,
  waitFor,
} from '@bridge/testing';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { DrainSequence } from '../runtime/drain-sequence';
import { DeadQueueReader } from './dead-queue-reader';
import { PostalTransport } from './postal-consumer.module';
import {
  POSTAL_DEAD_LETTER_PATTERN,
  POSTAL_EVENT_PATTERN,
  PostalInboundController,
} from './postal-inbound.controller';
import { PostalIngressService } from './postal-ingress.service';
import { PostalMessageHandler } from './postal-message.handler';
import { PostalTrackingService } from './postal-tracking.service';

const AGENCY = '000.00.55.H48';

/** What the test makes of the n-th delivery of an event (by CloudEvent id) before the ingress runs. */
type Behaviour = (delivery: number) => Promise<void>;

/** The postal transport in a Nest app, as `startBridge` wires it, on its own topology. */
interface Rig {
  app: INestApplication;
  names: BridgeTopologyNames;
  connectionName: string;
  manager: AmqpConnectionManager;
  publisher: ConfirmedPublisher;
  start(): Promise<void>;
  close(): Promise<void>;
}

describe('postal transport: @EventPattern handlers over the manual-ack consumer (RabbitMQ, PostgreSQL)', () => {
  let db: TestDatabase;
  let admin: amqp.ChannelModel;
  let channel: amqp.ConfirmChannel;
  let handler: PostalMessageHandler;
  let reader: DeadQueueReader;
  const behaviours = new Map<string, Behaviour>();
  const deliveries = new Map<string, number>();
  const rigs: Rig[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('ptransport');
    await db.dataSource.getRepository(AgencyEntity).insert({
      code: AGENCY,
      name: `Sở Tư pháp ${AGENCY}`,
      level: 'department',
      procedures: [{ code: '1.001612', name: 'Đăng ký khai sinh', byPost: true }],
      specVersion: 1,
    });
    const deadLetters = new DeadLetterService(db.dataSource);
    const ingress = new PostalIngressService(db.dataSource, undefined, undefined, deadLetters);
    const tracking = new PostalTrackingService(db.dataSource, ingress);
    const faulty = Object.create(ingress) as PostalIngressService;
    faulty.accept = async (doc, correlationId, options) => {
      const id = (doc as { id?: string }).id ?? '';
      const delivery = (deliveries.get(id) ?? 0) + 1;
      deliveries.set(id, delivery);
      await behaviours.get(id)?.(delivery);
      return ingress.accept(doc, correlationId, options);
    };
    const log = { error: () => undefined, warn: () => undefined };
    handler = new PostalMessageHandler(faulty, tracking, deadLetters, { log });
    reader = new DeadQueueReader(deadLetters, log);
    admin = await amqp.connect(TEST_AMQP_URL);
    channel = await admin.createConfirmChannel();
  });

  afterAll(async () => {
    for (const rig of rigs) await rig.close().catch(() => undefined);
    await admin?.close();
    await db?.drop();
  });

  async function rig(controller: Type): Promise<Rig> {
    const names = bridgeTopologyNames(uniqueAmqpPrefix('ptransport'));
    await declareBridgeTopology(channel, names);
    const connectionName = names.postalInboundQueue;
    const manager = new AmqpConnectionManager({ url: TEST_AMQP_URL, connectionName });
    await manager.connect();
    const publisher = new ConfirmedPublisher(manager);
    const moduleRef = await Test.createTestingModule({
      controllers: [controller],
      providers: [
        { provide: PostalMessageHandler, useValue: handler },
        { provide: DeadQueueReader, useValue: reader },
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const transport = new PostalTransport(manager, publisher, names, db.dataSource, new DrainSequence());
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    await app.init();
    const made: Rig = {
      app,
      names,
      connectionName,
      manager,
      publisher,
      start: async () => {
        await app.startAllMicroservices();
      },
      close: async () => {
        await app.close();
        await publisher.close();
        await manager.close();
        await deleteBridgeTopology(channel, names).catch(() => undefined);
      },
    };
    rigs.push(made);
    return made;
  }

  async function publish(names: BridgeTopologyNames, body: object, type?: string): Promise<void> {
    channel.publish(
      names.postalInboundExchange,
      type ?? 'postal.tracking',
      Buffer.from(JSON.stringify(body)),
      {
        persistent: true,
        contentType: 'application/json',
        ...(type ? { type } : {}),
      },
    );
    await channel.waitForConfirms();
  }

  const lettersWhere = (text: string) => deadLettersMentioning(db.dataSource, text);
  const dossiersOf = (itemId: string) =>
    db.dataSource.getRepository(DossierEntity).countBy({ inboundItemId: itemId });
  const queued = async (queue: string) => (await channel.checkQueue(queue)).messageCount;
  const itemOf = (event: { data?: unknown }) => (event.data as { itemId: string }).itemId;

  describe('the worker controller', () => {
    let worker: Rig;

    beforeAll(async () => {
      worker = await rig(PostalInboundController);
      await worker.start();
    });

    it('requeues a bug and dead-letters it after three deliveries; data the database refuses is dead-lettered at once; both become dead letters through the dead-letter pattern', async () => {
      const bug = collectedEvent(AGENCY);
      const refused = collectedEvent(AGENCY);
      const fine = collectedEvent(AGENCY);
      behaviours.set(bug.id, () => Promise.reject(new TypeError('bridge bug on purpose')));
      behaviours.set(refused.id, () =>
        Promise.reject(
          Object.assign(new Error('invalid byte sequence for encoding "UTF8"'), { code: '22021' }),
        ),
      );
      for (const event of [bug, refused, fine]) await publish(worker.names, event, event.type);

      await waitFor(
        async () => (await lettersWhere(bug.id)).length === 1,
        'the dead letter of the bug',
        30_000,
      );
      await waitFor(
        async () => (await lettersWhere(refused.id)).length === 1,
        'the dead letter of the refusal',
      );
      const [bugLetter] = await lettersWhere(bug.id);
      expect(bugLetter).toMatchObject({ errorCode: 'HANDLER_FAILED', operation: 'postal.dossier.collected' });
      expect(bugLetter.reason).toMatch(
        /^the bridge failed on this message 3 times \(error id [0-9a-f-]{36}\): TypeError: bridge bug on purpose$/,
      );
      expect(deliveries.get(bug.id)).toBe(3);
      const [refusedLetter] = await lettersWhere(refused.id);
      expect(refusedLetter).toMatchObject({ errorCode: 'DATABASE_REFUSED' });
      expect(refusedLetter.reason).toBe(
        'the database refused the data (SQLSTATE 22021: invalid byte sequence for encoding "UTF8")',
      );
      expect(deliveries.get(refused.id)).toBe(1);

      expect(await dossiersOf(itemOf(fine))).toBe(1);
      expect(await dossiersOf(itemOf(bug))).toBe(0);
      await waitFor(
        async () =>
          (await queued(worker.names.postalInboundQueue)) === 0 &&
          (await queued(worker.names.postalInboundDeadQueue)) === 0,
        'both queues read',
      );
    });

    it('holds a message while the database is away and applies it once the probe finds the database back, without a redelivery', async () => {
      const held = collectedEvent(AGENCY);
      behaviours.set(held.id, async (delivery) => {
        if (delivery === 1)
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      });
      await publish(worker.names, held, held.type);
      await waitFor(async () => (await dossiersOf(itemOf(held))) === 1, 'the held event applied', 15_000);
      expect(deliveries.get(held.id)).toBe(2);
      expect(await lettersWhere(held.id)).toHaveLength(0);
    });

    it('acknowledges only after the commit: the connection cut while the handler runs brings the message back, and it is applied once', async () => {
      const event = collectedEvent(AGENCY);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      behaviours.set(event.id, async (delivery) => {
        if (delivery === 1) await gate;
      });
      await publish(worker.names, event, event.type);
      await waitFor(() => deliveries.get(event.id) === 1, 'the first delivery in the handler');
      expect(await dossiersOf(itemOf(event))).toBe(0);

      // The broker closes the consumer's connection, as when the process dies mid-handle.
      expect(await closeAmqpConnectionsNamed(worker.connectionName)).toBe(1);
      await waitFor(() => deliveries.get(event.id) === 2, 'the redelivery after reconnect', 20_000);
      await waitFor(async () => (await dossiersOf(itemOf(event))) === 1, 'the redelivered event applied');
      release();
      await waitFor(async () => (await queued(worker.names.postalInboundQueue)) === 0, 'the queue empty');
      expect(await dossiersOf(itemOf(event))).toBe(1);
      expect(await lettersWhere(event.id)).toHaveLength(0);
    });
  });

  it('dead-letters a message whose pattern has no handler with a reason naming the pattern, once; refuses to start a queue whose one pattern has no handler', async () => {
    @Controller()
    class CloudEventsOnly {
      constructor(
        @Inject(PostalMessageHandler) private readonly postal: PostalMessageHandler,
        @Inject(DeadQueueReader) private readonly deadQueue: DeadQueueReader,
      ) {}

      @EventPattern(POSTAL_EVENT_PATTERN)
      postalEvent(@Ctx() context: ManualAckContext): Promise<ConsumeOutcome> {
        return this.postal.handleCloudEvent(context.getMessage());
      }

      @EventPattern(POSTAL_DEAD_LETTER_PATTERN)
      deadLetter(@Ctx() context: ManualAckContext): Promise<ConsumeOutcome> {
        return this.deadQueue.handle(context.getMessage());
      }
    }
    const partial = await rig(CloudEventsOnly);
    await partial.start();
    const itemId = `EE${Date.now()}VN`;
    await publish(partial.names, { itemId, eventCode: 'EMI', time: new Date().toISOString() });
    await waitFor(
      async () => (await lettersWhere(itemId)).length === 1,
      'the dead letter of the raw event',
      15_000,
    );
    const [letter] = await lettersWhere(itemId);
    expect(letter.errorCode).toBe('PERMANENT');
    expect(letter.reason).toBe(
      `no handler for pattern "postal.tracking.raw" on ${partial.names.postalInboundQueue}: no @EventPattern('postal.tracking.raw') method is registered`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await lettersWhere(itemId)).toHaveLength(1);
    expect(await queued(partial.names.postalInboundQueue)).toBe(0);

    @Controller()
    class NoDeadQueue {
      @EventPattern(POSTAL_EVENT_PATTERN)
      postalEvent(): ConsumeOutcome {
        return { action: 'ack' };
      }
    }
    const broken = await rig(NoDeadQueue);
    await expect(broken.start()).rejects.toThrow(
      `no @EventPattern('postal.dead-letter') handler for ${broken.names.postalInboundDeadQueue}; its messages would all be dead-lettered`,
    );
  });
});
