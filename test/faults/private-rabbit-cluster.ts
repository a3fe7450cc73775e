import { randomBytes } from 'node:crypto';
import { PrivateRabbit } from './private-rabbit';

/**
 * Three private RabbitMQ nodes (one Erlang cookie, each its own ports and folder) joined into
 * one cluster, so a scenario can stop the node that leads its quorum queues while clients stay
 * connected to the others. Started one after the other: on two cores, three nodes booting at
 * once starve each other.
 */
export class PrivateRabbitCluster {
  private constructor(readonly nodes: PrivateRabbit[]) {}

  static async start(size = 3): Promise<PrivateRabbitCluster> {
    const cookie = randomBytes(20).toString('hex').toUpperCase();
    const nodes: PrivateRabbit[] = [];
    const cluster = new PrivateRabbitCluster(nodes);
    try {
      for (let i = 0; i < size; i += 1) nodes.push(await PrivateRabbit.start({ cookie }));
      const [first, ...others] = nodes;
      for (const node of others) {
        await node.ctl('stop_app');
        await node.ctl('join_cluster', first.node);
        await node.ctl('start_app');
      }
      await first.ctl('await_online_nodes', String(size));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** AMQP URLs of the nodes still running, in the order they were started. */
  urls(except: PrivateRabbit[] = []): string[] {
    return this.nodes.filter((n) => !except.includes(n)).map((n) => n.url);
  }

  /** The node whose name is `name` (`rabbit@host` as the broker reports it). */
  byName(name: string): PrivateRabbit {
    const node = this.nodes.find((n) => n.node === name);
    if (!node)
      throw new Error(`no node ${name} in the cluster (${this.nodes.map((n) => n.node).join(', ')})`);
    return node;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }
}
