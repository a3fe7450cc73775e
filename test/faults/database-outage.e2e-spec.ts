import { DeadLetterEntity } from '@bridge/persistence';
import {
  collectedEvent,
  publishPostal,
  registerAgencies,
  TEST_AMQP_URL,
  uniqueAmqpPrefix,
} from '@bridge/testing';
import * as amqp from 'amqplib';
import { BridgeStack } from './bridge-stack';
import { itemIdOf, paced, settleDossiers } from './fault-flow';
import { FaultTally } from './fault-tally';
import { noDedupeRestAgencyDoc, startNoDedupeRestAgency } from './no-dedupe-agency';
import { PrivateDatabase } from './private-database';
import { TcpOutageProxy } from './tcp-outage-proxy';

const OUTAGE_MS = 60_000;

/**
 * PostgreSQL gone for a whole minute while the post keeps publishing: the bridge must stop
 * taking postal messages (not spin them through the queue, not count them towards the delivery
 * limit, not dead-letter them), then take every one in once the database is back.
 */
describe('faults: PostgreSQL away for 60 s with postal events arriving', () => {
  const tally = new FaultTally('postgres away 60 s', 'received');
  const cleanups: (() => Promise<unknown>)[] = [];

  afterAll(async () => {
    tally.print();
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  }, 60_000);

  it('holds the events that arrive while the database is away and applies every one after: none lost, none dead-lettered', async () => {
    const code = '000.00.44.H48';
    const db = await PrivateDatabase.create('fpgaway');
    cleanups.push(() => db.drop());
    const direct = new URL(db.url);
    const proxy = await TcpOutageProxy.start(direct.hostname, Number(direct.port || 5432));
    cleanups.push(() => proxy.close());
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);

    const agency = await startNoDedupeRestAgency(code, 100);
    cleanups.push(() => agency.close());
    await registerAgencies(db.dataSource, [noDedupeRestAgencyDoc(code, agency.url, { concurrency: 4 })]);
    const ns = uniqueAmqpPrefix('fpgaway');
    const stack = await BridgeStack.start('standalone', {
      DATABASE_URL: viaProxy.toString(),
      BRIDGE_NAMESPACE: ns,
    });
    cleanups.push(() => stack.stop());
    cleanups.push(() => deleteQueues(ns));

    const before = Array.from({ length: 5 }, () => collectedEvent(code));
    const during = Array.from({ length: 20 }, () => collectedEvent(code));
    await publishPostal(`${ns}.postal.inbound`, before, TEST_AMQP_URL);

    tally.injected('database connections cut for 60 s');
    proxy.cut();
    await paced(during, OUTAGE_MS - 10_000, (event) =>
      publishPostal(`${ns}.postal.inbound`, [event], TEST_AMQP_URL),
    );
    // Near the end of the outage every event is still waiting, none was taken and dropped.
    const inbound = await queueCounts(`${ns}.bridge.postal-inbound`, `${ns}.bridge.postal-inbound.dead`);
    if (inbound.dead > 0) process.stdout.write(`bridge output (warnings):\n${warnings(stack)}\n`);
    expect(inbound.dead).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    proxy.restore();

    const settled = await settleDossiers({
      ds: db.dataSource,
      tally,
      itemIds: [...before, ...during].map(itemIdOf),
      filedCount: (row) => agency.filedCount(row.id),
      timeoutMs: 90_000,
    });
    if (settled.stuck.length > 0 || settled.lost > 0)
      process.stdout.write(`bridge output (warnings):\n${warnings(stack)}\n`);
    expect({ lost: settled.lost, duplicates: settled.duplicates, stuck: settled.stuck }).toEqual({
      lost: 0,
      duplicates: 0,
      stuck: [],
    });
    expect(await db.dataSource.getRepository(DeadLetterEntity).count()).toBe(0);
    expect(await queueCounts(`${ns}.bridge.postal-inbound`, `${ns}.bridge.postal-inbound.dead`)).toEqual({
      ready: 0,
      dead: 0,
    });
  }, 240_000);
});

/** The bridge's last warnings, errors and holds: what a failed run is diagnosed from. */
function warnings(stack: BridgeStack): string {
  return stack.worker.output
    .filter((line) => /warn|error|paused|resumed|held/i.test(line))
    .slice(-120)
    .join('\n');
}

async function queueCounts(queue: string, deadQueue: string): Promise<{ ready: number; dead: number }> {
  const connection = await amqp.connect(TEST_AMQP_URL);
  try {
    const channel = await connection.createChannel();
    return {
      ready: (await channel.checkQueue(queue)).messageCount,
      dead: (await channel.checkQueue(deadQueue)).messageCount,
    };
  } finally {
    await connection.close();
  }
}

async function deleteQueues(ns: string): Promise<void> {
  const connection = await amqp.connect(TEST_AMQP_URL);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    for (const base of [
      'bridge.postal-inbound',
      'bridge.postal-inbound.dead',
      'postal.bridge-events',
      'bridge.events.unroutable',
    ])
      await channel.deleteQueue(`${ns}.${base}`).catch(() => undefined);
  } finally {
    await connection.close();
  }
}
