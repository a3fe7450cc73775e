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
import { AdapterKind, ProbeDescription } from '@bridge/adapter-sdk';
import { ADAPTER_FACTORIES_TOKEN, AdapterFactoryRegistry } from '../agencies/adapter-factories';
import { PollHealth, readPollHealth } from '../delivery/poll-health';
import { DeliveryStats } from '../metrics/delivery-stats';
import { LatencyPercentiles } from '../metrics/latency-percentiles';
import { AgencyFilter, AgencyPage, readAgencyPage } from './agency-search';

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
  /**
   * How the bridge checks the agency is up; null for kinds with a check of their own (a folder
   * check, a fixed PING). `operation: null` is an agency file that names no probe operation.
   */
  probe: ProbeDescription | null;
  level: string;
  parentCode: string | null;
  province: string | null;
}

/** Events waiting for their predecessor; past the expiry they become dead letters. */
export interface ParkedView {
  count: number;
  oldestParkedAt: string | null;
}

/** Which page of the overview, and which agencies it lists. */
export interface OverviewQuery extends AgencyFilter {
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export const OVERVIEW_DEFAULT_PAGE_SIZE = 50;
export const OVERVIEW_MAX_PAGE_SIZE = 200;

export interface OpsOverview {
  generatedAt: string;
  /** The agencies of this page that match the query, grouped by province then parent. */
  agencies: AgencyOverview[];
  page: { page: number; pageSize: number; total: number; pages: number };
  /** How many agencies match the query in each province (the grouping of every page). */
  provinces: AgencyPage['provinces'];
  /** Every agency of the bridge, whatever the query. */
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
const EMPTY_TOTALS = { circuitsOpen: 0, paused: 0, deadLetters: 0, late: 0, pollUnhealthy: 0 };

/** The operations overview: every agency with an adapter, its queue, circuit, failures and punctuality. */
@Injectable()
export class OpsOverviewService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AgencyQueueManager) private readonly queues: AgencyQueueManager,
    @Inject(DeliveryStats) private readonly stats: DeliveryStats,
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
    @Inject(ADAPTER_FACTORIES_TOKEN) private readonly factories: AdapterFactoryRegistry,
    @Optional() @Inject(AmqpConnectionManager) private readonly amqp?: AmqpConnectionManager,
    @Optional() @Inject(BRIDGE_TOPOLOGY_NAMES) private readonly topology?: BridgeTopologyNames,
  ) {}

  /**
   * One page of agencies with their figures, and the totals of every agency. Each source is read
   * in bulk: a few SQL statements and two Redis pipelines, whatever the number of agencies.
   */
  async overview(query: OverviewQuery = {}, now: Date = new Date()): Promise<OpsOverview> {
    const pageSize = query.pageSize ?? OVERVIEW_DEFAULT_PAGE_SIZE;
    const pageNumber = query.page ?? 1;
    const page = await readAgencyPage(this.dataSource, query, {
      offset: (pageNumber - 1) * pageSize,
      limit: pageSize,
    });
    const codes = page.rows.map((r) => r.code);
    const [active, deadLetters, late, onTime, polls, parked, queues, stats, probes] = await Promise.all([
      this.dataSource.query<Array<{ code: string; paused: boolean }>>(
        `SELECT a.code, a.paused FROM agencies a
           JOIN adapter_specs s ON s.agency_code = a.code AND s.version = a.spec_version
          WHERE a.retired_at IS NULL`,
      ),
      this.countBy(`SELECT agency_code AS code, count(*)::int AS n FROM dead_letters
                     WHERE state = 'open' AND agency_code IS NOT NULL GROUP BY agency_code`),
      this.countBy(
        `SELECT agency_code AS code, count(*)::int AS n FROM dossiers
          WHERE appointment_date < $1 AND status <> ALL($2) GROUP BY agency_code`,
        [now, FINISHED_STATUSES],
      ),
      this.onTimeRates(codes, now),
      readPollHealth(this.dataSource, this.config.housekeeping.pollStaleIntervals, now),
      this.parked(),
      this.queues.countsAndStates(this.queues.agencies()),
      this.stats.ofMany(codes, now),
      this.probes(codes),
    ]);
    const views = page.rows.map((a): AgencyOverview => {
      const served = queues.get(a.code);
      const stat = stats.get(a.code)!;
      return {
        code: a.code,
        name: a.name,
        kind: a.kind,
        circuit: served?.state.state ?? 'closed',
        paused: a.paused,
        queue: served ? pickQueue(served.counts) : { ...EMPTY_QUEUE },
        deadLetters: deadLetters.get(a.code) ?? 0,
        lastSuccessAt: stat.lastSuccessAt,
        latencyMs: stat.latencyMs,
        onTimeRate: onTime.get(a.code) ?? null,
        late: late.get(a.code) ?? 0,
        poll: polls.get(a.code)!,
        probe: probes.get(a.code) ?? null,
        level: a.level,
        parentCode: a.parentCode,
        province: a.province,
      };
    });
    const unroutableEvents =
      this.amqp && this.topology ? await queueDepth(this.amqp, this.topology.unroutableQueue) : null;
    return {
      generatedAt: now.toISOString(),
      agencies: views,
      page: { page: pageNumber, pageSize, total: page.total, pages: Math.ceil(page.total / pageSize) },
      provinces: page.provinces,
      totals: { ...totalsOf(active, { deadLetters, late, polls, queues }), unroutableEvents },
      parked,
    };
  }

  /** How each agency of the page is probed, as its kind reads its current agency file. */
  private async probes(codes: string[]): Promise<Map<string, ProbeDescription>> {
    const rows = await this.dataSource.query<
      Array<{ code: string; kind: AdapterKind; options: Record<string, unknown> | null }>
    >(
      `SELECT a.code, s.kind, s.spec->'options' AS options
         FROM agencies a JOIN adapter_specs s ON s.agency_code = a.code AND s.version = a.spec_version
        WHERE a.code = ANY($1)`,
      [codes],
    );
    const probes = new Map<string, ProbeDescription>();
    for (const row of rows) {
      const probe = this.factories[row.kind]?.probeOf?.(row.options ?? {});
      if (probe) probes.set(row.code, probe);
    }
    return probes;
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
  private async onTimeRates(codes: string[], now: Date): Promise<Map<string, number>> {
    const rows = await this.dataSource.query<
      Array<{ code: string; appointment: string; timestamps: DossierTimestamps }>
    >(
      `SELECT agency_code AS code, snapshot->>'appointmentDate' AS appointment,
              snapshot->'timestamps' AS timestamps
         FROM dossiers
        WHERE agency_code = ANY($1) AND snapshot->>'appointmentDate' IS NOT NULL
          AND (snapshot->'timestamps' ? 'result_ready' OR snapshot->'timestamps' ? 'completed')`,
      [codes],
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

function pickQueue(c: QueueCountsView): QueueCountsView {
  return { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed, paused: c.paused };
}

/** Totals over every active agency, from the bulk reads (not from the page). */
function totalsOf(
  active: Array<{ code: string; paused: boolean }>,
  by: {
    deadLetters: Map<string, number>;
    late: Map<string, number>;
    polls: Map<string, PollHealth>;
    queues: Map<string, { counts: QueueCountsView; state: { state: CircuitStateName } }>;
  },
): Omit<OpsOverview['totals'], 'unroutableEvents'> {
  const queue = { ...EMPTY_QUEUE };
  const totals = { ...EMPTY_TOTALS, agencies: active.length, queue };
  for (const { code, paused } of active) {
    const served = by.queues.get(code);
    if (served) for (const k of Object.keys(queue) as (keyof QueueCountsView)[]) queue[k] += served.counts[k];
    if (served && served.state.state !== 'closed') totals.circuitsOpen++;
    if (paused) totals.paused++;
    totals.deadLetters += by.deadLetters.get(code) ?? 0;
    totals.late += by.late.get(code) ?? 0;
    if (by.polls.get(code)?.healthy === false) totals.pollUnhealthy++;
  }
  return totals;
}
