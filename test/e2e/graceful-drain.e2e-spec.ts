import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  AgencyPoller,
  AgencyRuntime,
  AuditCheckpointPublisher,
  DrainSequence,
  MessageLogChainer,
  OutboxRelay,
  StatusLookupRounds,
  StuckDossierSweeper,
} from '@bridge/core';
import { ManualAckConsumer } from '@bridge/messaging';
import { AgencyQueueManager } from '@bridge/queues';
import { purgeNamespace } from '@bridge/simulator';
import { createTestDatabase, startTestGateway, TEST_AMQP_URL, TestDatabase } from '@bridge/testing';
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

describe('graceful drain (docs/architecture.md, rule 6)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('stops a worker part by part: consumer, pollers, look-ups, queues, sweeper, relay flush, checkpoints, chainer flush, runtime', async () => {
    const db: TestDatabase = await createTestDatabase('drain_order');
    const namespace = `drain-${randomBytes(3).toString('hex')}`;
    const saved = { ...process.env };
    Object.assign(process.env, { DATABASE_URL: db.url, BRIDGE_NAMESPACE: namespace, LOG_LEVEL: 'fatal' });
    let app: INestApplication | undefined;
    try {
      const moduleRef = await Test.createTestingModule({ imports: [WorkerAppModule] }).compile();
      app = moduleRef.createNestApplication({ logger: false });
      await app.init();
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
      app = undefined;
      // Each part starts stopping only once the one before it has stopped; the relay and the
      // chainer flush what is left (the consumer stops once for postal.inbound and its dead queue).
      expect(events).toEqual([
        'consumer start',
        'consumer end',
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
      ]);
    } finally {
      await app?.close().catch(() => undefined);
      process.env = saved;
      await purgeNamespace(namespace, { amqpUrl: TEST_AMQP_URL, redisUrl: REDIS_URL });
      await db.drop();
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
