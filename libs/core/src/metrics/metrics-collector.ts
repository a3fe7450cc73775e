import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import {
  AmqpConnectionManager,
  BRIDGE_TOPOLOGY_NAMES,
  BridgeTopologyNames,
  queueDepth,
} from '@bridge/messaging';
import { AgencyQueueManager } from '@bridge/queues';
import { readPollHealth } from '../delivery/poll-health';
import { FINISHED_STATUSES } from '../ops/ops-overview.service';
import { BridgeMetrics } from './bridge-metrics';

/** Queue states shown by `bridge_queue_jobs` (completed jobs are history, not load). */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'paused'] as const;

/**
 * Sets the gauges just before a scrape, from the sources of truth: the agencies' queues and
 * circuits in Redis, open dead letters, late dossiers and the outbox in PostgreSQL (cheap grouped
 * queries). A source that fails leaves its gauges empty rather than stale, and the
 * scrape still answers.
 */
@Injectable()
export class MetricsCollector {
  private readonly logger = new Logger('metrics');

  constructor(
    @Inject(BridgeMetrics) private readonly metrics: BridgeMetrics,
    @Inject(AgencyQueueManager) private readonly queues: AgencyQueueManager,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
    @Optional() @Inject(AmqpConnectionManager) private readonly amqp?: AmqpConnectionManager,
    @Optional() @Inject(BRIDGE_TOPOLOGY_NAMES) private readonly topology?: BridgeTopologyNames,
  ) {}

  /** Refreshes every gauge and renders the registry. */
  async scrape(): Promise<string> {
    await Promise.all([
      this.collectQueues(),
      this.collectDeadLetters(),
      this.collectOverdue(),
      this.collectOutbox(),
      this.collectPollHealth(),
      this.collectParked(),
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

  private async collectOverdue(): Promise<void> {
    const gauge = this.metrics.dossiersOverdue;
    gauge.reset();
    try {
      const rows = await this.dataSource.query<Array<{ agency: string; late: string }>>(
        `SELECT agency_code AS agency, count(*) AS late FROM dossiers
          WHERE appointment_date < now() AND status <> ALL($1) GROUP BY agency_code`,
        [FINISHED_STATUSES],
      );
      for (const row of rows) gauge.set({ agency: row.agency }, Number(row.late));
    } catch (error) {
      this.logger.warn(`overdue dossier metrics not collected: ${String(error)}`);
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

  private async collectPollHealth(): Promise<void> {
    const { lastPollSuccess, pollUnhealthy } = this.metrics;
    lastPollSuccess.reset();
    pollUnhealthy.reset();
    try {
      const health = await readPollHealth(this.dataSource, this.config.housekeeping.pollStaleIntervals);
      for (const [agency, h] of health) {
        if (h.lastSuccessAt) lastPollSuccess.set({ agency }, Date.parse(h.lastSuccessAt) / 1000);
        if (h.state !== 'not_polled') pollUnhealthy.set({ agency, state: h.state }, h.healthy ? 0 : 1);
      }
    } catch (error) {
      this.logger.warn(`poll health metrics not collected: ${String(error)}`);
    }
  }

  private async collectParked(): Promise<void> {
    const { parkedEvents, parkedOldestAgeSeconds } = this.metrics;
    parkedEvents.reset();
    parkedOldestAgeSeconds.reset();
    try {
      const [row] = await this.dataSource.query<Array<{ n: string; age: string | null }>>(
        `SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(parked_at)) AS age FROM parked_events`,
      );
      parkedEvents.set(Number(row.n));
      parkedOldestAgeSeconds.set(Math.max(0, Number(row.age ?? 0)));
    } catch (error) {
      this.logger.warn(`parked event metrics not collected: ${String(error)}`);
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
