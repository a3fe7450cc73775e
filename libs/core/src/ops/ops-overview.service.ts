import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  AmqpConnectionManager,
  BRIDGE_TOPOLOGY_NAMES,
  BridgeTopologyNames,
  queueDepth,
} from '@bridge/messaging';
import { DataSource } from 'typeorm';
import { DossierTimestamps, punctuality } from '@bridge/domain';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { AgencyQueueManager, CircuitStateName } from '@bridge/queues';
import { PollHealth, readPollHealth } from '../delivery/poll-health';
import { DeliveryStats } from '../metrics/delivery-stats';
import { LatencyPercentiles } from '../metrics/latency-percentiles';

/** Statuses after which a passed appointment date no longer makes a dossier late. */
export const FINISHED_STATUSES = ['delivered', 'completed', 'rejected', 'cancelled'];

/** Jobs of an agency's delivery queue by state. */
export interface QueueCountsView {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  paused: number;
}

/** One agency on the operations overview. */
export interface AgencyOverview {
  code: string;
  name: string;
  /** Adapter kind (soap, rest, csv-drop, …). */
  kind: string;
  circuit: CircuitStateName;
  /** Paused by an operator. */
  paused: boolean;
  queue: QueueCountsView;
  /** Open dead letters. */
  deadLetters: number;
  lastSuccessAt: string | null;
  /** Duration of successful agency jobs over the last hour. */
  latencyMs: LatencyPercentiles;
  /** Share of its dossiers with a result that were on time or early; null when none has one. */
  onTimeRate: number | null;
  /** Dossiers past their appointment date and not finished. */
  late: number;
  /** Whether its status polls (and callbacks) keep succeeding. */
  poll: PollHealth;
}

/** Events waiting for their predecessor; past the expiry they become dead letters. */
export interface ParkedView {
  count: number;
  oldestParkedAt: string | null;
}

export interface OpsOverview {
  generatedAt: string;
  agencies: AgencyOverview[];
  totals: {
    agencies: number;
    circuitsOpen: number;
    paused: number;
    queue: QueueCountsView;
    deadLetters: number;
    late: number;
    /** Agencies whose polls fail or went stale. */
    pollUnhealthy: number;
    /**
     * Events of `bridge.events` no queue was bound for, waiting in `bridge.events.unroutable`;
     * null when the broker cannot say.
     */
    unroutableEvents: number | null;
  };
  parked: ParkedView;
}

const EMPTY_QUEUE: QueueCountsView = { waiting: 0, active: 0, delayed: 0, failed: 0, paused: 0 };

/** The operations overview: every agency with an adapter, its queue, circuit, failures and punctuality. */
@Injectable()
export class OpsOverviewService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AgencyQueueManager) private readonly queues: AgencyQueueManager,
    @Inject(DeliveryStats) private readonly stats: DeliveryStats,
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
    @Optional() @Inject(AmqpConnectionManager) private readonly amqp?: AmqpConnectionManager,
    @Optional() @Inject(BRIDGE_TOPOLOGY_NAMES) private readonly topology?: BridgeTopologyNames,
  ) {}

  async overview(now: Date = new Date()): Promise<OpsOverview> {
    const [agencies, deadLetters, late, onTime, polls, parked] = await Promise.all([
      this.dataSource.query<Array<{ code: string; name: string; paused: boolean; kind: string }>>(
        `SELECT a.code, a.name, a.paused, s.kind FROM agencies a
           JOIN adapter_specs s ON s.agency_code = a.code AND s.version = a.spec_version
          WHERE a.retired_at IS NULL ORDER BY a.code`,
      ),
      this.countBy(`SELECT agency_code AS code, count(*)::int AS n FROM dead_letters
                     WHERE state = 'open' AND agency_code IS NOT NULL GROUP BY agency_code`),
      this.countBy(
        `SELECT agency_code AS code, count(*)::int AS n FROM dossiers
          WHERE appointment_date < $1 AND status <> ALL($2) GROUP BY agency_code`,
        [now, FINISHED_STATUSES],
      ),
      this.onTimeRates(now),
      readPollHealth(this.dataSource, this.config.housekeeping.pollStaleIntervals, now),
      this.parked(),
    ]);
    const served = new Set(this.queues.agencies());
    const views = await Promise.all(
      agencies.map(async (a): Promise<AgencyOverview> => {
        const [counts, state, stats] = await Promise.all([
          served.has(a.code) ? this.queues.counts(a.code) : undefined,
          served.has(a.code) ? this.queues.state(a.code) : undefined,
          this.stats.of(a.code, now),
        ]);
        return {
          code: a.code,
          name: a.name,
          kind: a.kind,
          circuit: state?.state ?? 'closed',
          paused: a.paused,
          queue: counts
            ? {
                waiting: counts.waiting,
                active: counts.active,
                delayed: counts.delayed,
                failed: counts.failed,
                paused: counts.paused,
              }
            : { ...EMPTY_QUEUE },
          deadLetters: deadLetters.get(a.code) ?? 0,
          lastSuccessAt: stats.lastSuccessAt,
          latencyMs: stats.latencyMs,
          onTimeRate: onTime.get(a.code) ?? null,
          late: late.get(a.code) ?? 0,
          poll: polls.get(a.code)!,
        };
      }),
    );
    const unroutableEvents =
      this.amqp && this.topology ? await queueDepth(this.amqp, this.topology.unroutableQueue) : null;
    return {
      generatedAt: now.toISOString(),
      agencies: views,
      totals: { ...totalsOf(views), unroutableEvents },
      parked,
    };
  }

  private async parked(): Promise<ParkedView> {
    const [row] = await this.dataSource.query<Array<{ n: number; oldest: Date | null }>>(
      'SELECT count(*)::int AS n, min(parked_at) AS oldest FROM parked_events',
    );
    return { count: Number(row.n), oldestParkedAt: row.oldest ? new Date(row.oldest).toISOString() : null };
  }

  /**
   * On-time share per agency over the dossiers that have a result (result ready or completed)
   * and an appointment date, judged by the domain's `punctuality` rule.
   */
  private async onTimeRates(now: Date): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<
      Array<{ code: string; appointment: string; timestamps: DossierTimestamps }>
    >(
      `SELECT agency_code AS code, snapshot->>'appointmentDate' AS appointment,
              snapshot->'timestamps' AS timestamps
         FROM dossiers
        WHERE snapshot->>'appointmentDate' IS NOT NULL
          AND (snapshot->'timestamps' ? 'result_ready' OR snapshot->'timestamps' ? 'completed')`,
    );
    const tally = new Map<string, { good: number; all: number }>();
    for (const row of rows) {
      const verdict = punctuality({ appointmentDate: row.appointment, timestamps: row.timestamps }, now);
      const t = tally.get(row.code) ?? { good: 0, all: 0 };
      t.all++;
      if (verdict === 'on_time' || verdict === 'early') t.good++;
      tally.set(row.code, t);
    }
    return new Map([...tally].map(([code, t]) => [code, Math.round((t.good / t.all) * 1000) / 1000]));
  }

  private async countBy(sql: string, params: unknown[] = []): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<Array<{ code: string; n: number }>>(sql, params);
    return new Map(rows.map((r) => [r.code, Number(r.n)]));
  }
}

function totalsOf(views: AgencyOverview[]): Omit<OpsOverview['totals'], 'unroutableEvents'> {
  const queue = { ...EMPTY_QUEUE };
  for (const v of views)
    for (const k of Object.keys(queue) as (keyof QueueCountsView)[]) queue[k] += v.queue[k];
  return {
    agencies: views.length,
    circuitsOpen: views.filter((v) => v.circuit !== 'closed').length,
    paused: views.filter((v) => v.paused).length,
    queue,
    deadLetters: views.reduce((n, v) => n + v.deadLetters, 0),
    late: views.reduce((n, v) => n + v.late, 0),
    pollUnhealthy: views.filter((v) => !v.poll.healthy).length,
  };
}
