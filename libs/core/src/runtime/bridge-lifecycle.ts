import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AdapterStore } from '@bridge/adapter-sdk';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import {
  AmqpConnectionManager,
  BRIDGE_TOPOLOGY_NAMES,
  BridgeTopologyNames,
  ConfirmedPublisher,
  declareBridgeTopology,
  entityExistsOn,
  ManualAckConsumer,
} from '@bridge/messaging';
import { AgencyJobName, AgencyQueueManager, bullLimiterKey, RedisAgencyCallBudget } from '@bridge/queues';
import {
  AuditCheckpointPublisher,
  auditCheckpointOptionsFromEnv,
  MessageLogChainer,
  MessageLogService,
} from '../audit';
import { AgencyChangesService } from '../delivery/agency-changes.service';
import { AgencyPoller } from '../delivery/agency-poller';
import { AgencyRuntime } from '../delivery/agency-runtime';
import { PollHealthRecorder } from '../delivery/poll-health';
import { StuckDossierSweeper } from '../delivery/stuck-dossier-sweeper';
import { StatusLookupRounds } from '../delivery/status-lookup/status-lookup-rounds';
import { MESSAGE_RECORDER, MessageRecorder } from '../common/message-recorder';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { PostalIngressService } from '../ingress/postal-ingress.service';
import { PostalMessageHandler } from '../ingress/postal-message.handler';
import { DeadQueueReader } from '../ingress/dead-queue-reader';
import { PostalTrackingService } from '../ingress/postal-tracking.service';
import { OutboxRelay, RelayedJob } from '../outbox/outbox-relay';
import { messagingLogger } from './nest-loggers';
import { ADAPTER_STORE, BRIDGE_ROLE, BridgeRole, REDIS, runsWorker } from './tokens';

/**
 * Starts what this process runs and stops it in order on SIGTERM: stop taking postal
 * messages, let in-flight agency jobs finish (or release them), flush the outbox, close
 * connections (docs/architecture.md, rule 6).
 */
@Injectable()
export class BridgeLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('bridge');
  private consumer?: ManualAckConsumer;
  private relay?: OutboxRelay;
  private poller?: AgencyPoller;
  private chainer?: MessageLogChainer;
  private checkpoints?: AuditCheckpointPublisher;
  private sweeper?: StuckDossierSweeper;
  private lookups?: StatusLookupRounds;

  constructor(
    @Inject(BRIDGE_ROLE) private readonly role: BridgeRole,
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AmqpConnectionManager) private readonly amqp: AmqpConnectionManager,
    @Inject(BRIDGE_TOPOLOGY_NAMES) private readonly topology: BridgeTopologyNames,
    @Inject(ConfirmedPublisher) private readonly publisher: ConfirmedPublisher,
    @Inject(AgencyQueueManager) private readonly queues: AgencyQueueManager,
    @Inject(AgencyRuntime) private readonly runtime: AgencyRuntime,
    @Inject(PostalIngressService) private readonly ingress: PostalIngressService,
    @Inject(PostalTrackingService) private readonly tracking: PostalTrackingService,
    @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
    @Inject(AgencyChangesService) private readonly changes: AgencyChangesService,
    @Inject(ADAPTER_STORE) private readonly store: AdapterStore,
    @Inject(MessageLogService) private readonly messageLog: MessageLogService,
    @Inject(MESSAGE_RECORDER) private readonly recorder: MessageRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.amqp.addSetup(async (connection) => {
      const channel = await connection.createChannel();
      try {
        await declareBridgeTopology(channel, this.topology, undefined, entityExistsOn(connection));
      } finally {
        await channel.close().catch(() => undefined);
      }
    });
    await this.runtime.start();
    if (!runsWorker(this.role)) return;

    this.poller = new AgencyPoller(
      this.dataSource,
      this.runtime,
      this.changes,
      this.store,
      (code, error) =>
        this.logger.warn(
          `polling agency ${code} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      new PollHealthRecorder(this.dataSource),
    );
    this.runtime.onChange = (agencies) => this.poller?.sync(agencies);
    this.poller.sync(
      new Map(this.runtime.agencies().map((code) => [code, { spec: this.runtime.specOf(code)! }])),
    );

    // Look-ups share each agency's rate window with its delivery worker (BullMQ's limiter key).
    this.lookups = new StatusLookupRounds({
      dataSource: this.dataSource,
      runtime: this.runtime,
      changes: this.changes,
      recorder: this.recorder,
      budget: new RedisAgencyCallBudget(this.redis, (code) => bullLimiterKey(this.queues.queueName(code))),
      onError: (code, error) =>
        this.logger.warn(
          `status look-up at ${code} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    this.lookups.start();

    this.relay = new OutboxRelay(
      this.dataSource,
      {
        publishEvents: (events) =>
          this.publisher.publishBatch(
            events.map((e) => ({
              exchange: this.topology.bridgeEventsExchange,
              routingKey: e.routingKey,
              body: e.body,
              options: {
                correlationId: typeof e.body.correlationid === 'string' ? e.body.correlationid : undefined,
              },
            })),
          ),
      },
      { enqueueJobs: (jobs) => this.enqueueJobs(jobs) },
      {
        listenUrl: this.config.databaseUrl,
        onError: (error) =>
          this.logger.warn(`outbox relay: ${error instanceof Error ? error.message : String(error)}`),
        undeliverable: async (manager, failed) => {
          for (const { job, reason } of failed) {
            await this.deadLetters.record(manager, {
              origin: 'delivery',
              agencyCode: job.agencyCode,
              dossierId: job.dossierId ?? undefined,
              operation: job.name,
              payload: { jobId: job.jobId, payload: job.payload },
              errorCode: 'PERMANENT',
              reason,
              attempts: [],
            });
          }
        },
      },
    );
    await this.relay.start();

    // Moves the message-log entries staged by business transactions into the hash chain.
    this.chainer = new MessageLogChainer(this.messageLog, {
      onError: (error) =>
        this.logger.warn(`message log chainer: ${error instanceof Error ? error.message : String(error)}`),
    });
    this.chainer.start();
    // Signed checkpoints of the chain, kept outside the database, reveal a cut tail.
    this.checkpoints = new AuditCheckpointPublisher(
      this.messageLog,
      this.dataSource,
      auditCheckpointOptionsFromEnv(),
      (error) =>
        this.logger.warn(`audit checkpoint: ${error instanceof Error ? error.message : String(error)}`),
    );
    this.checkpoints.start();

    this.sweeper = new StuckDossierSweeper(this.dataSource, {
      stuckAfterMs: this.config.stuckDossierAfterMs,
      intervalMs: this.config.stuckDossierSweepMs,
      onError: (error) =>
        this.logger.warn(`stuck dossier sweep: ${error instanceof Error ? error.message : String(error)}`),
    });
    this.sweeper.start();

    this.consumer = new ManualAckConsumer(this.amqp, {
      logger: messagingLogger('postal-consumer'),
      publisher: this.publisher,
    });
    const log = new Logger('postal-consumer');
    const handler = new PostalMessageHandler(this.ingress, this.tracking, this.deadLetters, { log });
    // While the database is away the consumers hold what they have and take nothing more.
    const probe = () => databaseAnswers(this.dataSource);
    await this.consumer.consume(this.topology.postalInboundQueue, (message) => handler.handle(message), {
      deadLetterExchange: this.topology.deadLetterExchange,
      // Enough for the group commits to fill: events taken together share a transaction.
      prefetch: 128,
      probe,
    });
    const deadQueue = new DeadQueueReader(this.deadLetters, log);
    await this.consumer.consume(
      this.topology.postalInboundDeadQueue,
      (message) => deadQueue.handle(message),
      {
        deadLetterExchange: this.topology.deadLetterExchange,
        prefetch: 16,
        probe,
        keepText: true,
      },
    );
    this.logger.log(`bridge ${this.role} started`);
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down (${signal ?? 'close'}): draining`);
    await this.consumer?.stop(20_000).catch((e) => this.logger.warn(`consumer stop: ${String(e)}`));
    await this.poller?.stop();
    await this.lookups?.stop();
    await this.queues.close().catch((e) => this.logger.warn(`queues close: ${String(e)}`));
    await this.sweeper?.stop();
    await this.relay?.stop({ flush: true }).catch((e) => this.logger.warn(`relay stop: ${String(e)}`));
    await this.checkpoints?.stop();
    await this.chainer?.stop({ flush: true }).catch((e) => this.logger.warn(`chainer stop: ${String(e)}`));
    await this.runtime.stop();
    this.redis.disconnect();
    // MessagingModule closes the publisher and the AMQP connection after this; PersistenceModule the pool.
  }

  private async enqueueJobs(jobs: RelayedJob[]): Promise<{ job: RelayedJob; reason: string }[]> {
    const failed: { job: RelayedJob; reason: string }[] = [];
    if (jobs.some((job) => !this.runtime.agencies().includes(job.agencyCode))) await this.runtime.refresh();
    // One batch for all (a few Redis round trips, not two per job), in outbox order.
    const ready: RelayedJob[] = [];
    for (const job of jobs) {
      if (this.runtime.agencies().includes(job.agencyCode)) ready.push(job);
      else
        failed.push({
          job,
          reason: `agency ${job.agencyCode} has no active adapter; the job cannot be delivered`,
        });
    }
    await this.queues.enqueueBatch(
      ready.map((job) => ({
        name: job.name as AgencyJobName,
        payload: job.payload as never,
        jobId: job.jobId,
      })),
    );
    return failed;
  }
}

/** True when the database answers a trivial query within 5 s. */
async function databaseAnswers(dataSource: DataSource): Promise<boolean> {
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
