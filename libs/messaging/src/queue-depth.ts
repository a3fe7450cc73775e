import { AmqpConnectionManager } from './amqp-connection';

/**
 * Messages ready in `queue`, asked on a channel of its own (a passive declare of a missing
 * queue closes the channel it is made on); null when the broker is not connected or the queue
 * does not exist, so a caller shows "unknown" rather than a reassuring zero.
 */
export async function queueDepth(connection: AmqpConnectionManager, queue: string): Promise<number | null> {
  if (!connection.isConnected()) return null;
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  } catch {
    return null;
  }
}
