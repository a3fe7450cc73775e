import * as amqp from 'amqplib';
import { bridgeTopologyNames, declareBridgeTopology } from '@bridge/messaging';
import { RestAgencySimulator } from '@bridge/simulator';
import { collectedEvent, createTestDatabase, registerAgencies, uniqueAmqpPrefix } from '@bridge/testing';
import { BridgeStack } from './bridge-stack';
import { DurableTap } from './durable-tap';
import {
  dossierRows,
  itemIdOf,
  paced,
  publishUntilConfirmed,
  randomMoments,
  settleDossiers,
  sleep,
} from './fault-flow';
import { FaultTally } from './fault-tally';
import { noDedupeRestAgencyDoc, startNoDedupeRestAgency } from './no-dedupe-agency';
import { PrivateRabbit } from './private-rabbit';
import { PrivateRabbitCluster } from './private-rabbit-cluster';

const DOSSIERS = 40;
const FLOW_MS = 14_000;
const CODE = '000.00.44.H48';

/** Which node leads each quorum queue, as the broker reports it. */
async function leaders(node: PrivateRabbit): Promise<Map<string, string>> {
  const listed = JSON.parse(await node.ctl('list_queues', 'name', 'leader', '--formatter', 'json')) as Array<{
    name: string;
    leader: string;
  }>;
  return new Map(listed.map((q) => [q.name, q.leader]));
}

/**
 * The broker's own failure: a three-node RabbitMQ cluster of private nodes, the bridge's
 * quorum queues led by one node while the bridge, the postal system and the backend's
 * consumer talk to the other two. That leading node is stopped while 40 postal events are
 * flowing; the remaining two elect new leaders and carry on. Nothing may be lost and no
 * dossier filed twice (the agency cannot de-duplicate), and every dossier's events must reach
 * `bridge.events` in sequence.
 */
describe('faults: the node leading the quorum queues of a three-node RabbitMQ cluster stops', () => {
  const tally = new FaultTally('rabbitmq cluster leader stopped', 'received');
  const cleanups: Array<() => Promise<unknown>> = [];

  afterAll(async () => {
    tally.print();
    // Processes and clients first, then the services under them; each runs whatever the others did.
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  }, 120_000);

  it('stops the leader mid-flow: nothing lost, nothing filed twice, every event on bridge.events', async () => {
    const startedAt = Date.now();
    const cluster = await PrivateRabbitCluster.start(3);
    cleanups.push(() => cluster.stop());
    process.stdout.write(`rabbitmq cluster of 3 private nodes up in ${Date.now() - startedAt} ms\n`);

    // The bridge's topology declared through the first node, so that node leads its queues.
    const ns = uniqueAmqpPrefix('fcluster');
    const names = bridgeTopologyNames(ns);
    const [first] = cluster.nodes;
    const admin = await amqp.connect(first.url);
    await declareBridgeTopology(await admin.createChannel(), names);
    await admin.close();
    const leader = cluster.byName((await leaders(first)).get(names.postalInboundQueue)!);
    const [bridgeNode, clientNode] = cluster.nodes.filter((n) => n !== leader);

    const db = await createTestDatabase('fcluster');
    cleanups.push(() => db.drop());
    const agency: RestAgencySimulator = await startNoDedupeRestAgency(CODE, 100);
    cleanups.push(() => agency.close());
    await registerAgencies(db.dataSource, [noDedupeRestAgencyDoc(CODE, agency.url, { concurrency: 4 })]);
    const stack = await BridgeStack.start('standalone', {
      DATABASE_URL: db.url,
      BRIDGE_NAMESPACE: ns,
      AMQP_URL: bridgeNode.url,
    });
    cleanups.push(() => stack.stop());
    const tap = await DurableTap.start(clientNode.url, names.bridgeEventsExchange);
    cleanups.push(() => tap.close());

    const events = Array.from({ length: DOSSIERS }, () => collectedEvent(CODE));
    const flowStarted = Date.now();
    const flow = paced(events, FLOW_MS, async (event) => {
      await publishUntilConfirmed(names.postalInboundExchange, [event], clientNode.url);
    });
    const [moment] = randomMoments(1, 3_000, FLOW_MS - 3_000, 0);
    await sleep(flowStarted + moment - Date.now());
    tally.injected(`leader ${leader.node} stop_app at ${Math.round((Date.now() - flowStarted) / 1000)} s`);
    await leader.ctl('stop_app');
    await flow;

    const itemIds = events.map(itemIdOf);
    const settled = await settleDossiers({
      ds: db.dataSource,
      tally,
      itemIds,
      filedCount: (row) => agency.filedCount(row.id),
      timeoutMs: 90_000,
    });
    const rows = await dossierRows(db.dataSource, itemIds);
    const missingEvents = await tap.missingDossierEvents(rows.map((r) => r.id));

    // The queues really moved: another node leads them now.
    const newLeader = (await leaders(bridgeNode)).get(names.postalInboundQueue);
    expect(newLeader).toBeDefined();
    expect(newLeader).not.toBe(leader.node);
    expect({ lost: settled.lost, duplicates: settled.duplicates, stuck: settled.stuck }).toEqual({
      lost: 0,
      duplicates: 0,
      stuck: [],
    });
    expect(settled.completed).toBe(DOSSIERS);
    expect(missingEvents).toEqual([]);
  }, 300_000);
});
