import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AmqpConnectionManager,
  BRIDGE_TOPOLOGY_NAMES,
  BridgeTopologyNames,
  ConfirmedPublisher,
  ManualAckConsumer,
} from '@bridge/messaging';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { DrainSequence, DrainStep } from '../runtime/drain-sequence';
import { messagingLogger } from '../runtime/nest-loggers';
import { DeadQueueReader } from './dead-queue-reader';
import { PostalIngressService } from './postal-ingress.service';
import { PostalMessageHandler } from './postal-message.handler';
import { PostalTrackingService } from './postal-tracking.service';

/** How long the drain waits for the messages in hand to be committed and acknowledged. */
const CONSUMER_STOP_MS = 20_000;

/**
 * A worker's consumers of `postal.inbound` (docs/architecture.md, rule 1: ack after commit;
 * requeue or dead-letter by error class in {@link PostalMessageHandler}) and of its dead-letter queue (each message
 * there becomes a visible dead letter). They start last, once everything they feed runs, and
 * are the first thing the drain stops (docs/architecture.md, rule 6).
 */
@Injectable()
export class PostalConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger('bridge');
  private readonly consumer: ManualAckConsumer;
  private readonly handler: PostalMessageHandler;
  private readonly deadQueue: DeadQueueReader;

  constructor(
    @Inject(AmqpConnectionManager) amqp: AmqpConnectionManager,
    @Inject(ConfirmedPublisher) publisher: ConfirmedPublisher,
    @Inject(BRIDGE_TOPOLOGY_NAMES) private readonly topology: BridgeTopologyNames,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PostalIngressService) ingress: PostalIngressService,
    @Inject(PostalTrackingService) tracking: PostalTrackingService,
    @Inject(DeadLetterService) deadLetters: DeadLetterService,
    @Inject(DrainSequence) private readonly drain: DrainSequence,
  ) {
    this.consumer = new ManualAckConsumer(amqp, { logger: messagingLogger('postal-consumer'), publisher });
    const log = new Logger('postal-consumer');
    this.handler = new PostalMessageHandler(ingress, tracking, deadLetters, { log });
    this.deadQueue = new DeadQueueReader(deadLetters, log);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.drain.add(DrainStep.Consumer, 'postal consumer', () => this.consumer.stop(CONSUMER_STOP_MS));
    // While the database is away the consumers hold what they have and take nothing more.
    const probe = () => databaseAnswers(this.dataSource);
    await this.consumer.consume(this.topology.postalInboundQueue, (message) => this.handler.handle(message), {
      deadLetterExchange: this.topology.deadLetterExchange,
      // Enough for the group commits to fill: events taken together share a transaction.
      prefetch: 128,
      probe,
    });
    await this.consumer.consume(
      this.topology.postalInboundDeadQueue,
      (message) => this.deadQueue.handle(message),
      { deadLetterExchange: this.topology.deadLetterExchange, prefetch: 16, probe, keepText: true },
    );
    this.logger.log('postal consumers started');
  }
}

/** True when the database answers a trivial query within 5 s. */
export async function databaseAnswers(dataSource: DataSource): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000)));
  try {
    return await Promise.race([dataSource.query('SELECT 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** A worker's postal consumers. */
@Module({ providers: [PostalConsumer] })
export class PostalConsumerModule {}
