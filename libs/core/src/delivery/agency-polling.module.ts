import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AdapterStore } from '@bridge/adapter-sdk';
import { AgencyQueueManager, bullLimiterKey, RedisAgencyCallBudget } from '@bridge/queues';
import { MESSAGE_RECORDER, MessageRecorder } from '../common/message-recorder';
import { DrainSequence, DrainStep } from '../runtime/drain-sequence';
import { ADAPTER_STORE, REDIS } from '../runtime/tokens';
import { AgencyChangesService } from './agency-changes.service';
import { AgencyPoller } from './agency-poller';
import { AgencyRuntime } from './agency-runtime';
import { PollHealthRecorder } from './poll-health';
import { StatusLookupRounds } from './status-lookup/status-lookup-rounds';

/** "<what> at <agency> failed: <message>" in the bridge's log. */
function agencyWarning(logger: Logger, what: string) {
  return (code: string, error: unknown) =>
    logger.warn(`${what} ${code} failed: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * What a worker asks agencies of its own accord: "changes since" polls and status files
 * ({@link AgencyPoller}, re-timed whenever the runtime loads new specs) and per-dossier status
 * look-ups ({@link StatusLookupRounds}). On shutdown both stop right after the postal consumer.
 */
@Injectable()
export class AgencyPolling implements OnApplicationBootstrap {
  private readonly logger = new Logger('bridge');
  private readonly poller: AgencyPoller;
  private readonly lookups: StatusLookupRounds;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(REDIS) redis: Redis,
    @Inject(AgencyRuntime) private readonly runtime: AgencyRuntime,
    @Inject(AgencyQueueManager) queues: AgencyQueueManager,
    @Inject(AgencyChangesService) changes: AgencyChangesService,
    @Inject(ADAPTER_STORE) store: AdapterStore,
    @Inject(MESSAGE_RECORDER) recorder: MessageRecorder,
    @Inject(PollHealthRecorder) health: PollHealthRecorder,
    @Inject(DrainSequence) private readonly drain: DrainSequence,
  ) {
    this.poller = new AgencyPoller(
      dataSource,
      runtime,
      changes,
      store,
      agencyWarning(this.logger, 'polling agency'),
      health,
    );
    // Look-ups share each agency's rate window with its delivery worker (BullMQ's limiter key).
    this.lookups = new StatusLookupRounds({
      dataSource,
      runtime,
      changes,
      recorder,
      budget: new RedisAgencyCallBudget(redis, (code) => bullLimiterKey(queues.queueName(code))),
      onError: agencyWarning(this.logger, 'status look-up at'),
    });
  }

  onApplicationBootstrap(): void {
    this.runtime.onChange((agencies) => this.poller.sync(agencies));
    this.poller.sync(
      new Map(this.runtime.agencies().map((code) => [code, { spec: this.runtime.specOf(code)! }])),
    );
    this.drain.add(DrainStep.Polling, 'agency pollers', () => this.poller.stop());
    this.lookups.start();
    this.drain.add(DrainStep.Lookups, 'status look-ups', () => this.lookups.stop());
  }
}

/** A worker's polls and status look-ups. */
@Module({ providers: [AgencyPolling] })
export class AgencyPollingModule {}
