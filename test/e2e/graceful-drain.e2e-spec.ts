import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ChannelModel, connect } from 'amqplib';
import {
  AgencyPoller,
  AgencyRuntime,
  AuditCheckpointPublisher,
  connectPostalTransport,
  DrainSequence,
  MessageLogChainer,
  OutboxRelay,
  StatusLookupRounds,
  StuckDossierSweeper,
} from '@bridge/core';
import {
  BRIDGE_TOPOLOGY_NAMES,
  BridgeTopologyNames,
  ManualAckConsumer,
  ManualAckTransport,
} from '@bridge/messaging';
import { AgencyQueueManager } from '@bridge/queues';
import { purgeNamespace } from '@bridge/simulator';
import { createTestDatabase, startTestGateway, TEST_AMQP_URL, TestDatabase, waitFor } from '@bridge/testing';
import { WorkerAppModule } from '../../apps/worker/src';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The parts of a worker and the method that stops each, in the order docs/architecture.md, rule 6 asks for. */
const PARTS: [string, { prototype: object }, string][] = [
  ['consumer', ManualAckConsumer, 'stop'],
  ['pollers', AgencyPoller, 'stop'],
  ['look-ups', StatusLookupRounds, 'stop'],
  ['queues', AgencyQueueManager, 'close'],
  ['sweeper', StuckDossierSweeper, 'stop'],
  ['relay', OutboxRelay, 'stop'],
  ['checkpoints', AuditCheckpointPublisher, 'stop'],
  ['chainer', MessageLogChainer, 'stop'],
  ['runtime', AgencyRuntime, 'stop'],
];

/** Records when each part's stop begins and ends (with its arguments), calling the real one. */
function watchStops(events: string[]): void {
  for (const [name, type, method] of PARTS) {
    const proto = type.prototype as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const original = proto[method];
    jest.spyOn(proto, method).mockImplementation(async function (this: unknown, ...args: unknown[]) {
      events.push(`${name} ${args.length > 0 && name !== 'consumer' ? JSON.stringify(args[0]) : 'start'}`);
      try {
        return await original.apply(this, args);
      } finally {
        events.push(`${name} end`);
      }
    });
  }
}

/** The parts that stop after the consumer, each start and end, in order. */
const AFTER_CONSUMER = [
  'pollers start',
  'pollers end',
  'look-ups start',
  'look-ups end',
  'queues start',
  'queues end',
  'sweeper start',
  'sweeper end',
  'relay {"flush":true}',
  'relay end',
  'checkpoints start',
  'checkpoints end',
  'chainer {"flush":true}',
  'chainer end',
  'runtime start',
  'runtime end',
];

/**
 * Boots the worker app (WorkerAppModule) on a fresh schema and namespace, hands it to `body`
 * (which closes it), and cleans up; `prepare` runs before `init` (e.g. connecting a transport).
 */
async function withWorker(
  label: string,
  body: (app: INestApplication, done: () => void) => Promise<void>,
  prepare: (app: INestApplication) => void = () => undefined,
): Promise<void> {
  const db: TestDatabase = await createTestDatabase(label);
  const namespace = `drain-${randomBytes(3).toString('hex')}`;
  const saved = { ...process.env };
  Object.assign(process.env, { DATABASE_URL: db.url, BRIDGE_NAMESPACE: namespace, LOG_LEVEL: 'fatal' });
  let app: INestApplication | undefined;
  try {
    const moduleRef = await Test.createTestingModule({ imports: [WorkerAppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    prepare(app);
    await app.init();
    await body(app, () => (app = undefined));
  } finally {
    await app?.close().catch(() => undefined);
    process.env = saved;
    await purgeNamespace(namespace, { amqpUrl: TEST_AMQP_URL, redisUrl: REDIS_URL });
    await db.drop();
  }
}

describe('graceful drain (docs/architecture.md, rule 6)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('stops a worker part by part: consumer, pollers, look-ups, queues, sweeper, relay flush, checkpoints, chainer flush, runtime', async () => {
    await withWorker('drain_order', async (app, closed) => {
      expect(app.get(DrainSequence).order()).toEqual([
        'postal consumer',
        'agency pollers',
        'status look-ups',
        'queues',
        'stuck dossier sweeper',
        'outbox relay',
        'audit checkpoints',
        'message log chainer',
        'agency runtime',
        'redis',
      ]);

      const events: string[] = [];
      watchStops(events);
      await app.close();
      closed();
      // Each part starts stopping only once the one before it has stopped; the relay and the
      // chainer flush what is left (the consumer stops once for postal.inbound and its dead queue).
      expect(events).toEqual(['consumer start', 'consumer end', ...AFTER_CONSUMER]);
    });
  });

  it('with the postal transport connected as startBridge does, stops consuming first; Nest closes the transport again at the very end, which stops nothing twice', async () => {
    let admin: ChannelModel | undefined;
    try {
      admin = await connect(TEST_AMQP_URL);
      const model = admin;
      /** Consumers on `queue`, or -1 while it does not exist (a failed check closes its channel). */
      const consumers = async (queue: string) => {
        const channel = await model.createChannel();
        channel.on('error', () => undefined);
        try {
          return (await channel.checkQueue(queue)).consumerCount;
        } catch {
          return -1;
        } finally {
          await channel.close().catch(() => undefined);
        }
      };
      await withWorker(
        'drain_transport',
        async (app, closed) => {
          await app.startAllMicroservices();
          const { postalInboundQueue, postalInboundDeadQueue } =
            app.get<BridgeTopologyNames>(BRIDGE_TOPOLOGY_NAMES);
          // The connection (and the topology with it) may come up after init: wait for the consumers.
          await waitFor(
            async () =>
              (await consumers(postalInboundQueue)) === 1 && (await consumers(postalInboundDeadQueue)) === 1,
            'the postal transport consuming both queues',
            10_000,
          );

          const events: string[] = [];
          watchStops(events);
          const close = ManualAckTransport.prototype.close;
          jest.spyOn(ManualAckTransport.prototype, 'close').mockImplementation(function (
            this: ManualAckTransport,
          ) {
            events.push('transport close');
            return close.call(this);
          });
          await app.close();
          closed();
          // The drain's call stops the consumer; Nest's, when it disposes the app, finds it stopped.
          expect(events).toEqual([
            'transport close',
            'consumer start',
            'consumer end',
            ...AFTER_CONSUMER,
            'transport close',
          ]);
          expect(await consumers(postalInboundQueue)).toBe(0);
        },
        (app) => connectPostalTransport(app),
      );
    } finally {
      await admin?.close();
    }
  });

  it('runs none of the worker parts in a gateway: it only closes its queues, adapters and Redis', async () => {
    const gateway = await startTestGateway('drain', { prefix: 'drain', agencyB: false });
    try {
      expect(gateway.app.get(DrainSequence).order()).toEqual(['queues', 'agency runtime', 'redis']);
    } finally {
      await gateway.close();
    }
  });
});
