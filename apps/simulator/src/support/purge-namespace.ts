import * as amqp from 'amqplib';
import { Redis } from 'ioredis';
import { bridgeTopologyNames, deleteBridgeTopology } from '@bridge/messaging';

/** Where the services of a namespace run. */
export interface NamespaceServices {
  amqpUrl: string;
  redisUrl: string;
}

/**
 * Removes everything a bridge wrote under BRIDGE_NAMESPACE `namespace` outside the database: its
 * AMQP exchanges and queues, its Redis keys (`bridge:<ns>:*`: adapter store, circuits,
 * statistics) and its BullMQ queues (`bull:<ns>-agency.*`), so a test run or a demo run leaves
 * the shared services as it found them.
 */
export async function purgeNamespace(namespace: string, services: NamespaceServices): Promise<void> {
  if (!namespace) throw new Error('purgeNamespace: namespace is empty (it would purge every bridge)');
  const connection = await amqp.connect(services.amqpUrl);
  try {
    const channel = await connection.createChannel();
    await deleteBridgeTopology(channel, bridgeTopologyNames(namespace));
  } finally {
    await connection.close().catch(() => undefined);
  }

  const redis = new Redis(services.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    for (const pattern of [`bridge:${namespace}:*`, `bull:${namespace}-agency.*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
