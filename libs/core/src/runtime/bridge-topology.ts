import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  AmqpConnectionManager,
  BRIDGE_TOPOLOGY_NAMES,
  BridgeTopologyNames,
  declareBridgeTopology,
  entityExistsOn,
} from '@bridge/messaging';

/**
 * Declares the bridge's exchanges and queues on every (re)connection, in every role. Registered
 * at module init, so it runs before the consumers' own setups on each connection.
 */
@Injectable()
export class BridgeTopology implements OnModuleInit {
  constructor(
    @Inject(AmqpConnectionManager) private readonly amqp: AmqpConnectionManager,
    @Inject(BRIDGE_TOPOLOGY_NAMES) private readonly topology: BridgeTopologyNames,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.amqp.addSetup(async (connection) => {
      const channel = await connection.createChannel();
      try {
        await declareBridgeTopology(channel, this.topology, undefined, entityExistsOn(connection));
      } finally {
        await channel.close().catch(() => undefined);
      }
    });
  }
}
