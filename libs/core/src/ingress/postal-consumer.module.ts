import { INestApplication, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AmqpConnectionManager,
  BRIDGE_TOPOLOGY_NAMES,
  BridgeTopologyNames,
  ConfirmedPublisher,
  ManualAckTransport,
} from '@bridge/messaging';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { DrainSequence, DrainStep } from '../runtime/drain-sequence';
import { messagingLogger } from '../runtime/nest-loggers';
import { DeadQueueReader } from './dead-queue-reader';
import {
  POSTAL_DEAD_LETTER_PATTERN,
  PostalInboundController,
  postalInboundPattern,
} from './postal-inbound.controller';
import { PostalIngressService } from './postal-ingress.service';
import { PostalMessageHandler } from './postal-message.handler';
import { PostalTrackingService } from './postal-tracking.service';

/** How long the drain waits for the messages in hand to be committed and acknowledged. */
const CONSUMER_STOP_MS = 20_000;

/**
 * A worker's transport for `postal.inbound` and its dead-letter queue: the `@EventPattern`
 * handlers of {@link PostalInboundController} over the manual-ack consumer. Acks after commit
 * (docs/architecture.md, rule 1); {@link PostalMessageHandler} requeues or dead-letters by error
 * class; each message of the dead queue becomes a visible dead letter. Connected by
 * {@link connectPostalTransport} once the app is initialised, so it starts after everything it
 * feeds runs; stopped first by the drain (docs/architecture.md, rule 6), before Nest closes it
 * again with the app.
 */
@Injectable()
export class PostalTransport extends ManualAckTransport {
  constructor(
    @Inject(AmqpConnectionManager) amqp: AmqpConnectionManager,
    @Inject(ConfirmedPublisher) publisher: ConfirmedPublisher,
    @Inject(BRIDGE_TOPOLOGY_NAMES) topology: BridgeTopologyNames,
    @Inject(DataSource) dataSource: DataSource,
    @Inject(DrainSequence) drain: DrainSequence,
  ) {
    // While the database is away the consumers hold what they have and take nothing more.
    const probe = () => databaseAnswers(dataSource);
    super(amqp, {
      logger: messagingLogger('postal-consumer'),
      publisher,
      stopTimeoutMs: CONSUMER_STOP_MS,
      queues: [
        {
          queue: topology.postalInboundQueue,
          pattern: postalInboundPattern,
          deadLetterExchange: topology.deadLetterExchange,
          // Enough for the group commits to fill: events taken together share a transaction.
          prefetch: 128,
          probe,
        },
        {
          queue: topology.postalInboundDeadQueue,
          pattern: POSTAL_DEAD_LETTER_PATTERN,
          deadLetterExchange: topology.deadLetterExchange,
          prefetch: 16,
          probe,
          keepText: true,
        },
      ],
    });
    drain.add(DrainStep.Consumer, 'postal consumer', () => this.close());
  }
}

/**
 * Connects the postal transport to a worker or standalone app (`startBridge` does, for the roles
 * that consume); then `app.init()` and `app.startAllMicroservices()` start it. Global guards,
 * interceptors and filters apply to its handlers as to HTTP ones; theirs let non-HTTP contexts by.
 */
export function connectPostalTransport(app: INestApplication): PostalTransport {
  const strategy = app.get(PostalTransport);
  app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  return strategy;
}

/**
 * True when the database answers a trivial query within 5 s; otherwise throws why not (the
 * driver's error, or the wait), which the paused consumer's log repeats.
 */
export async function databaseAnswers(dataSource: DataSource): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the database did not answer SELECT 1 within 5 s')), 5_000);
  });
  try {
    return await Promise.race([dataSource.query('SELECT 1').then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the handlers the controller calls, with the consumer's log. */
function handlerProviders() {
  const log = new Logger('postal-consumer');
  return [
    {
      provide: PostalMessageHandler,
      inject: [PostalIngressService, PostalTrackingService, DeadLetterService],
      useFactory: (
        ingress: PostalIngressService,
        tracking: PostalTrackingService,
        deadLetters: DeadLetterService,
      ) => new PostalMessageHandler(ingress, tracking, deadLetters, { log }),
    },
    {
      provide: DeadQueueReader,
      inject: [DeadLetterService],
      useFactory: (deadLetters: DeadLetterService) => new DeadQueueReader(deadLetters, log),
    },
  ];
}

/** A worker's postal transport and its ingress handlers. */
@Module({
  controllers: [PostalInboundController],
  providers: [...handlerProviders(), PostalTransport],
})
export class PostalConsumerModule {}
