import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgencyQueueManager } from '@bridge/queues';
import { BRIDGE_ROLE, BridgeRole, runsWorker } from '../runtime/tokens';
import { DeliveryStats } from './delivery-stats';
import { latencyPercentiles } from './latency-percentiles';

/** The `agency_code` of the row that sums every agency. Agency codes never contain `*`. */
export const OPS_HISTORY_TOTAL = '*';
/** One sample a minute. */
export const OPS_HISTORY_BUCKET_MS = 60_000;
/** A day of minutes and an hour of margin; older rows are pruned on every sample. */
export const OPS_HISTORY_RETENTION_MS = 25 * 60 * 60 * 1000;
/** Agencies read at once while sampling. */
const SAMPLE_BATCH = 100;

/** Where the sampler reads the minute it records. */
export interface OpsHistorySources {
  /** Agencies whose queues this process serves. */
  agencies(): string[];
  /** Durations of the agency's jobs that succeeded in [fromMs, toMs). */
  durations(agencyCode: string, fromMs: number, toMs: number): Promise<number[]>;
  /** Jobs not yet done (waiting, active, delayed, held by a pause). */
  queueDepth(agencyCode: string): Promise<number>;
  /**
   * Agencies that had a job queued or succeeded since `fromMs`. Without it every agency is read
   * every minute.
   */
  activeSince?(fromMs: number): Promise<string[]>;
}

/** Options of the sampler; tests shorten the retention. */
export interface OpsHistoryOptions {
  retentionMs?: number;
}

/**
 * Records, once a minute on every worker, the minute that just ended: per agency and in total
 * the deliveries completed in it, their p50/p95 duration (from the delivery statistics, which
 * keep an hour) and the queue depth. Several workers may sample the same minute: the first to
 * write a minute wins (`ON CONFLICT DO NOTHING`) and the others see it written and skip it, so
 * no worker has to be elected. Rows older than the retention are deleted on each run, which
 * bounds the table to about (agencies + 1) × 1,500 rows.
 */
export class OpsHistorySampler {
  private readonly retentionMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: OpsHistorySources,
    options: OpsHistoryOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? OPS_HISTORY_RETENTION_MS;
  }

  /** Samples the last complete minute before `now`; returns false when it was already sampled. */
  async sample(now: Date = new Date()): Promise<boolean> {
    const to = Math.floor(now.getTime() / OPS_HISTORY_BUCKET_MS) * OPS_HISTORY_BUCKET_MS;
    const bucket = new Date(to - OPS_HISTORY_BUCKET_MS);
    await this.prune(now);
    const [done] = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM ops_history WHERE agency_code = $1 AND bucket = $2',
      [OPS_HISTORY_TOTAL, bucket],
    );
    if (done) return false;
    const codes = await this.agenciesInPlay(bucket);
    const rows: Array<{ code: string; durations: number[]; depth: number }> = [];
    // A bounded number of agencies at a time: thousands of them must not burst Redis at once.
    for (let i = 0; i < codes.length; i += SAMPLE_BATCH) {
      const batch = await Promise.all(
        codes.slice(i, i + SAMPLE_BATCH).map(async (code) => {
          const [durations, depth] = await Promise.all([
            this.sources.durations(code, bucket.getTime(), to),
            this.sources.queueDepth(code),
          ]);
          return { code, durations, depth };
        }),
      );
      rows.push(...batch);
    }
    const all = rows.flatMap((r) => r.durations);
    const total = { code: OPS_HISTORY_TOTAL, durations: all, depth: rows.reduce((n, r) => n + r.depth, 0) };
    const values = [...rows, total].map((r) => {
      const { p50, p95 } = latencyPercentiles(r.durations);
      return [r.code, r.durations.length, p50, p95, r.depth];
    });
    // One statement with arrays, so the row count does not change the SQL text.
    const column = (i: number) => values.map((v) => v[i]);
    await this.dataSource.query(
      `INSERT INTO ops_history (bucket, agency_code, deliveries, latency_p50_ms, latency_p95_ms, queue_depth)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[])
       ON CONFLICT (agency_code, bucket) DO NOTHING`,
      [bucket, column(0), column(1), column(2), column(3), column(4)],
    );
    return true;
  }

  /**
   * The agencies whose minute can differ from "nothing happened, nothing waiting": those with a
   * job queued or succeeded since the previous sample, and those that had jobs waiting then.
   * With thousands of agencies, reading every one every minute would keep Redis busy for
   * nothing (and fill the table with zeros; the reader takes a missing row of a sampled minute
   * as zero). When the previous minute was not sampled, every agency is read.
   */
  private async agenciesInPlay(bucket: Date): Promise<string[]> {
    const served = this.sources.agencies();
    if (!this.sources.activeSince) return served;
    const previous = new Date(bucket.getTime() - OPS_HISTORY_BUCKET_MS);
    const rows = await this.dataSource.query<Array<{ agency_code: string }>>(
      `SELECT agency_code FROM ops_history
        WHERE bucket = $1 AND (agency_code = $2 OR queue_depth > 0)`,
      [previous, OPS_HISTORY_TOTAL],
    );
    if (!rows.some((r) => r.agency_code === OPS_HISTORY_TOTAL)) return served;
    // Since the previous minute began: the previous sample read its depths after that.
    const wanted = new Set([
      ...rows.map((r) => r.agency_code),
      ...(await this.sources.activeSince(previous.getTime())),
    ]);
    return served.filter((code) => wanted.has(code));
  }

  /** Deletes the rows older than the retention. */
  async prune(now: Date = new Date()): Promise<void> {
    await this.dataSource.query('DELETE FROM ops_history WHERE bucket < $1', [
      new Date(now.getTime() - this.retentionMs),
    ]);
  }
}

/** Runs the sampler once a minute on worker processes. */
@Injectable()
export class OpsHistoryRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ops-history');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(BRIDGE_ROLE) private readonly role: BridgeRole,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeliveryStats) private readonly stats: DeliveryStats,
    @Optional() @Inject(AgencyQueueManager) private readonly queues?: AgencyQueueManager,
  ) {}

  onApplicationBootstrap(): void {
    const queues = this.queues;
    if (!runsWorker(this.role) || !queues) return;
    const sampler = new OpsHistorySampler(this.dataSource, {
      agencies: () => queues.agencies(),
      durations: (code, from, to) => this.stats.durationsBetween(code, from, to),
      queueDepth: async (code) => {
        const c = await queues.counts(code);
        return c.waiting + c.active + c.delayed + c.paused;
      },
      activeSince: (fromMs) => this.stats.activeSince(fromMs),
    });
    // Checked every 15 s: a minute is written within 15 s of its end; the checks in between
    // find it written and stop there. The first check runs at start, so the minute before it
    // is in the charts at once (and a start's one reading of every agency is over by the time
    // the process is at rest).
    const tick = () => {
      this.running ??= sampler
        .sample()
        .catch((error: unknown) => this.logger.warn(`history not sampled: ${String(error)}`))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, OPS_HISTORY_BUCKET_MS / 4);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
