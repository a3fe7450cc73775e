import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { BRIDGE_TOPOLOGY_NAMES, BridgeTopologyNames, ConfirmedPublisher } from '@bridge/messaging';
import { AgencyJobEnqueuer } from '../delivery/agency-job-enqueuer';
import { DrainSequence, DrainStep } from '../runtime/drain-sequence';
import { warnsTo } from '../runtime/nest-loggers';
import { OutboxEventSink, OutboxRelay } from './outbox-relay';

/**
 * Runs this worker's outbox relay (docs/architecture.md, rule 3): events to `bridge.events` with publisher confirms,
 * agency jobs into the delivery queues ({@link AgencyJobEnqueuer}). On shutdown it stops after
 * the queues and flushes what was committed meanwhile.
 */
@Injectable()
export class OutboxRelayRunner implements OnApplicationBootstrap {
  private readonly relay: OutboxRelay;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(BRIDGE_CONFIG) config: BridgeConfig,
    @Inject(ConfirmedPublisher) publisher: ConfirmedPublisher,
    @Inject(BRIDGE_TOPOLOGY_NAMES) topology: BridgeTopologyNames,
    @Inject(AgencyJobEnqueuer) jobs: AgencyJobEnqueuer,
    @Inject(DrainSequence) private readonly drain: DrainSequence,
  ) {
    const events: OutboxEventSink = {
      publishEvents: (batch) =>
        publisher.publishBatch(
          batch.map((e) => ({
            exchange: topology.bridgeEventsExchange,
            routingKey: e.routingKey,
            body: e.body,
            options: {
              correlationId: typeof e.body.correlationid === 'string' ? e.body.correlationid : undefined,
            },
          })),
        ),
    };
    this.relay = new OutboxRelay(dataSource, events, jobs, {
      listenUrl: config.databaseUrl,
      onError: warnsTo(new Logger('bridge'), 'outbox relay'),
      undeliverable: (manager, failed) => jobs.recordUndeliverable(manager, failed),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    this.drain.add(DrainStep.Relay, 'outbox relay', () => this.relay.stop({ flush: true }));
  }
}

/** The outbox relay of a worker. */
@Module({ providers: [AgencyJobEnqueuer, OutboxRelayRunner] })
export class OutboxRelayModule {}
