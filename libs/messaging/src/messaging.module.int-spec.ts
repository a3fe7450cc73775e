import { Test } from '@nestjs/testing';
import { BridgeConfigModule } from '@bridge/config';
import * as amqp from 'amqplib';
import { AmqpConnectionManager } from './amqp-connection';
import { ConfirmedPublisher } from './confirmed-publisher';
import { BRIDGE_TOPOLOGY_NAMES, MessagingModule } from './messaging.module';
import { TEST_AMQP_URL, takeMessages, uniqueAmqpPrefix } from '@bridge/testing';
import { BridgeTopologyNames } from './topology';

describe('MessagingModule (RabbitMQ)', () => {
  it('connects at start-up, publishes with confirms and disconnects on shutdown', async () => {
    const prefix = uniqueAmqpPrefix('module');
    const queue = `${prefix}.tap`;
    const admin = await amqp.connect(TEST_AMQP_URL);
    const channel = await admin.createChannel();
    await channel.assertExchange(`${prefix}.out`, 'topic', { autoDelete: true });
    await channel.assertQueue(queue, { autoDelete: true });
    await channel.bindQueue(queue, `${prefix}.out`, '#');
    const moduleRef = await Test.createTestingModule({
      imports: [BridgeConfigModule, MessagingModule.forRoot({ connectionName: `${prefix}-app` })],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.enableShutdownHooks();
    try {
      await app.init();
      const connection = app.get(AmqpConnectionManager);
      await connection.waitForConnection(5_000);
      expect(app.get<BridgeTopologyNames>(BRIDGE_TOPOLOGY_NAMES).bridgeEventsExchange).toMatch(
        /bridge\.events$/,
      );

      await app
        .get(ConfirmedPublisher)
        .publish(`${prefix}.out`, 'dossier.collected', { id: 'm-1', type: 'dossier.collected' });
      const [message] = await takeMessages(channel, queue, 1);
      expect(message.properties.messageId).toBe('m-1');

      await app.close();
      expect(connection.isConnected()).toBe(false);
    } finally {
      await app.close();
      await channel.deleteQueue(queue);
      await channel.deleteExchange(`${prefix}.out`);
      await admin.close();
    }
  });
});
