import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AgencyJobName, AgencyQueueManager } from '@bridge/queues';
import { OutboxJobSink, RelayedJob } from '../outbox/outbox-relay';
import { DeliveryStats } from '../metrics/delivery-stats';
import { AgencyRuntime } from './agency-runtime';
import { DeadLetterService } from './dead-letter.service';

/** A job the queues can never take, with the reason. */
export interface UndeliverableJob {
  job: RelayedJob;
  reason: string;
}

/**
 * Where the outbox relay's agency jobs go: into the agencies' delivery queues, in outbox order,
 * one batch for all. A job for an agency without an active adapter (not registered, retired,
 * no adapter section) can never be delivered: it becomes a dead letter in the relay's
 * transaction instead of blocking the outbox (docs/architecture.md, rule 9).
 */
@Injectable()
export class AgencyJobEnqueuer implements OutboxJobSink {
  constructor(
    @Inject(AgencyRuntime) private readonly runtime: AgencyRuntime,
    @Inject(AgencyQueueManager) private readonly queues: AgencyQueueManager,
    @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
    @Optional() @Inject(DeliveryStats) private readonly stats?: DeliveryStats,
  ) {}

  async enqueueJobs(jobs: RelayedJob[]): Promise<UndeliverableJob[]> {
    const failed: UndeliverableJob[] = [];
    // A map look-up per job: listing thousands of agencies per job would cost on the hot path.
    const active = (job: RelayedJob) => this.runtime.specOf(job.agencyCode) !== undefined;
    if (!jobs.every(active)) await this.runtime.refresh();
    // One batch for all (a few Redis round trips, not two per job), in outbox order.
    const ready: RelayedJob[] = [];
    for (const job of jobs) {
      if (active(job)) ready.push(job);
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
    // The history sampler reads these agencies this minute. Not awaited: the relay does not wait
    // on a chart, and a mark lost costs at most a chart point.
    void this.stats?.touch(ready.map((job) => job.agencyCode)).catch(() => undefined);
    return failed;
  }

  /** Records the jobs {@link enqueueJobs} refused as dead letters, inside the relay's transaction. */
  async recordUndeliverable(manager: EntityManager, failed: UndeliverableJob[]): Promise<void> {
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
  }
}
