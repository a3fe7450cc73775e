import { DynamicModule, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { AmqpConnectionManager } from './amqp-connection';
import { ConfirmedPublisher } from './confirmed-publisher';
import { MessagingLogger, errorContext, silentMessagingLogger } from './logger';
import { BridgeTopologyNames, bridgeTopologyNames } from './topology';

/** Injection token of the {@link BridgeTopologyNames} for this installation's namespace. */
export const BRIDGE_TOPOLOGY_NAMES = Symbol('BRIDGE_TOPOLOGY_NAMES');
/** Injection token of the {@link MessagingLogger} the messaging classes write to. */
export const MESSAGING_LOGGER = Symbol('MESSAGING_LOGGER');

/** Options of {@link MessagingModule.forRoot}. */
export interface MessagingModuleOptions {
  /** Connection name shown by RabbitMQ, e.g. `bridge-worker`. */
  connectionName: string;
  /** Where connection events are logged; silent by default. */
  logger?: MessagingLogger;
}

/**
 * Thin Nest wiring of the plain classes: one {@link AmqpConnectionManager} (URL from
 * `AMQP_URL`), one {@link ConfirmedPublisher}, and the topology names for `BRIDGE_NAMESPACE`.
 * Connecting starts at module init without blocking start-up, so readiness can report RabbitMQ
 * down while the manager keeps retrying. Consumers are created by the features that own them
 * and must be stopped by them (before this module closes the connection on shutdown).
 * Requires the global BridgeConfigModule.
 */
@Module({})
export class MessagingModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly connection: AmqpConnectionManager,
    private readonly publisher: ConfirmedPublisher,
    @Inject(MESSAGING_LOGGER) private readonly logger: MessagingLogger,
  ) {}

  /** Global, so every feature module can inject the connection and the publisher. */
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const logger = options.logger ?? silentMessagingLogger;
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_LOGGER, useValue: logger },
        {
          provide: AmqpConnectionManager,
          inject: [BRIDGE_CONFIG],
          useFactory: (config: BridgeConfig) =>
            new AmqpConnectionManager({
              url: config.amqpUrl,
              connectionName: options.connectionName,
              logger,
            }),
        },
        {
          provide: ConfirmedPublisher,
          inject: [AmqpConnectionManager],
          useFactory: (connection: AmqpConnectionManager) => new ConfirmedPublisher(connection, { logger }),
        },
        {
          provide: BRIDGE_TOPOLOGY_NAMES,
          inject: [BRIDGE_CONFIG],
          useFactory: (config: BridgeConfig): BridgeTopologyNames =>
            bridgeTopologyNames(config.namespace, config.postalEventsQueue),
        },
      ],
      exports: [AmqpConnectionManager, ConfirmedPublisher, BRIDGE_TOPOLOGY_NAMES, MESSAGING_LOGGER],
    };
  }

  onModuleInit(): void {
    void this.connection.connect().catch((error: unknown) => {
      // Only a close() before the first connection ends up here; nothing to recover.
      this.logger.warn(errorContext(error), 'RabbitMQ connection attempt abandoned');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    await this.connection.close();
  }
}
