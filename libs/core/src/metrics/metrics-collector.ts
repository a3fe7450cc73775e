import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AmqpConnectionManager,
  BRIDGE_TOPOLOGY_NAMES,
  BridgeTopologyNames,
  queueDepth,
} from '@bridge/messaging';
import { AgencyQueueManager } from '@bridge/queues';
import { BridgeMetrics } from './bridge-metrics';

/** Queue states shown by `bridge_queue_jobs` (completed jobs are history, not load). */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'paused'] as const;

/**
 * Sets the gauges just before a scrape, from the sources of truth: the agencies' queues and
 * circuits in Redis, open dead letters and the outbox in PostgreSQL (two cheap grouped queries
 * on partial indexes). A source that fails leaves its gauges empty rather than stale, and the
 * scrape still answers.
 */
@Injectable()
export class MetricsCollector {
  private readonly logger = new Logger('metrics');

  constructor(
    @Inject(BridgeMetrics) private readonly metrics: BridgeMetrics,
    @Inject(AgencyQueueManager) private readonly queues: AgencyQueueManager,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(AmqpConnectionManager) private readonly amqp?: AmqpConnectionManager,
    @Optional() @Inject(BRIDGE_TOPOLOGY_NAMES) private readonly topology?: BridgeTopologyNames,
  ) {}

  /** Refreshes every gauge and renders the registry. */
  async scrape(): Promise<string> {
    await Promise.all([
      this.collectQueues(),
      this.collectDeadLetters(),
      this.collectOutbox(),
      this.collectUnroutable(),
    ]);
    return this.metrics.render();
  }

  private async collectQueues(): Promise<void> {
    const { queueJobs, circuitOpen } = this.metrics;
    queueJobs.reset();
    circuitOpen.reset();
    await Promise.all(
      this.queues.agencies().map(async (agency) => {
        try {
          const [counts, state] = await Promise.all([this.queues.counts(agency), this.queues.state(agency)]);
          for (const s of QUEUE_STATES) queueJobs.set({ agency, state: s }, counts[s]);
          circuitOpen.set({ agency }, state.state === 'closed' ? 0 : 1);
        } catch (error) {
          this.logger.warn(`queue metrics of ${agency} not collected: ${String(error)}`);
        }
      }),
    );
  }

  private async collectDeadLetters(): Promise<void> {
    const gauge = this.metrics.deadLettersOpen;
    gauge.reset();
    try {
      const rows = await this.dataSource.query<Array<{ agency: string | null; open: string }>>(
        `SELECT agency_code AS agency, count(*) AS open FROM dead_letters WHERE state = 'open' GROUP BY agency_code`,
      );
      for (const row of rows) gauge.set({ agency: row.agency ?? 'none' }, Number(row.open));
    } catch (error) {
      this.logger.warn(`dead letter metrics not collected: ${String(error)}`);
    }
  }

  private async collectOutbox(): Promise<void> {
    const { outboxLagSeconds, outboxPending } = this.metrics;
    outboxLagSeconds.reset();
    outboxPending.reset();
    try {
      const [row] = await this.dataSource.query<Array<{ pending: string; lag: string | null }>>(
        `SELECT count(*) AS pending,
                EXTRACT(EPOCH FROM now() - min(available_at) FILTER (WHERE available_at <= now())) AS lag
           FROM outbox WHERE published_at IS NULL`,
      );
      outboxPending.set(Number(row.pending));
      outboxLagSeconds.set(Math.max(0, Number(row.lag ?? 0)));
    } catch (error) {
      this.logger.warn(`outbox metrics not collected: ${String(error)}`);
    }
  }

  /** Left empty (no sample) when the broker cannot say, so an alert on absence can fire. */
  private async collectUnroutable(): Promise<void> {
    const gauge = this.metrics.unroutableEvents;
    gauge.reset();
    if (!this.amqp || !this.topology) return;
    const depth = await queueDepth(this.amqp, this.topology.unroutableQueue);
    if (depth !== null) gauge.set(depth);
  }
}
