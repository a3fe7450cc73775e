import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPS_HISTORY_BUCKET_MS, OPS_HISTORY_TOTAL } from '../metrics/ops-history-sampler';

/** The windows the charts offer. */
export const HISTORY_WINDOWS = ['1h', '24h'] as const;
export type HistoryWindow = (typeof HISTORY_WINDOWS)[number];

/** Length and point spacing of each window: 60 points of a minute, 144 of ten minutes. */
const WINDOWS: Record<HistoryWindow, { spanMs: number; stepMs: number }> = {
  '1h': { spanMs: 60 * 60_000, stepMs: OPS_HISTORY_BUCKET_MS },
  '24h': { spanMs: 24 * 60 * 60_000, stepMs: 10 * OPS_HISTORY_BUCKET_MS },
};

/**
 * A series in columns (what a chart library takes): `at[i]` is the start of point i in epoch
 * seconds; a point no worker sampled is null in every column, so a chart shows a gap.
 */
export interface OpsHistorySeries {
  agency: string | null;
  window: HistoryWindow;
  stepSeconds: number;
  at: number[];
  /** Deliveries completed per minute (the average over the point for the day window). */
  throughputPerMinute: (number | null)[];
  latencyP50Ms: (number | null)[];
  latencyP95Ms: (number | null)[];
  /** Jobs waiting, running, delayed or held; the highest of the point for the day window. */
  queueDepth: (number | null)[];
}

interface Row {
  slot: string;
  deliveries: string;
  p50: string | null;
  p95: string | null;
  depth: string;
}

/** Reads the sampled history, per agency or in total, bucketed to the window's step. */
@Injectable()
export class OpsHistoryService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * The series of one agency (or of all when `agency` is absent). Ten-minute points merge
   * their minutes: deliveries are summed, p50 is the delivery-weighted mean of the minutes'
   * p50 and p95 the worst minute's p95 — an upper bound, never an understatement.
   */
  async series(
    agency: string | undefined,
    window: HistoryWindow,
    now = new Date(),
  ): Promise<OpsHistorySeries> {
    if (agency !== undefined) await this.mustExist(agency);
    const { spanMs, stepMs } = WINDOWS[window];
    const end = Math.floor(now.getTime() / stepMs) * stepMs + stepMs;
    const start = end - spanMs;
    const rows = await this.dataSource.query<Row[]>(
      `SELECT (floor(extract(epoch FROM bucket) * 1000 / $4) * $4)::bigint AS slot,
              sum(deliveries) AS deliveries,
              sum(latency_p50_ms::bigint * deliveries) / nullif(sum(deliveries) FILTER (WHERE latency_p50_ms IS NOT NULL), 0) AS p50,
              max(latency_p95_ms) AS p95,
              max(queue_depth) AS depth
         FROM ops_history
        WHERE agency_code = $1 AND bucket >= $2 AND bucket < $3
        GROUP BY slot`,
      [agency ?? OPS_HISTORY_TOTAL, new Date(start), new Date(end), stepMs],
    );
    const bySlot = new Map(rows.map((r) => [Number(r.slot), r]));
    if (agency !== undefined) {
      // The sampler skips an agency with nothing queued and nothing done in a minute: where the
      // minute was sampled (its total row is there), the agency's missing row means zero.
      const sampled = await this.dataSource.query<Array<{ slot: string }>>(
        `SELECT DISTINCT (floor(extract(epoch FROM bucket) * 1000 / $4) * $4)::bigint AS slot
           FROM ops_history
          WHERE agency_code = $1 AND bucket >= $2 AND bucket < $3`,
        [OPS_HISTORY_TOTAL, new Date(start), new Date(end), stepMs],
      );
      for (const { slot } of sampled)
        if (!bySlot.has(Number(slot)))
          bySlot.set(Number(slot), { slot, deliveries: '0', p50: null, p95: null, depth: '0' });
    }
    const series: OpsHistorySeries = {
      agency: agency ?? null,
      window,
      stepSeconds: stepMs / 1000,
      at: [],
      throughputPerMinute: [],
      latencyP50Ms: [],
      latencyP95Ms: [],
      queueDepth: [],
    };
    const minutes = stepMs / OPS_HISTORY_BUCKET_MS;
    const num = (v: string | null) => (v === null ? null : Math.round(Number(v)));
    for (let slot = start; slot < end; slot += stepMs) {
      const row = bySlot.get(slot);
      series.at.push(slot / 1000);
      series.throughputPerMinute.push(row ? Math.round((Number(row.deliveries) / minutes) * 10) / 10 : null);
      series.latencyP50Ms.push(row ? num(row.p50) : null);
      series.latencyP95Ms.push(row ? num(row.p95) : null);
      series.queueDepth.push(row ? num(row.depth) : null);
    }
    return series;
  }

  private async mustExist(code: string): Promise<void> {
    const [found] = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM agencies WHERE code = $1 AND retired_at IS NULL',
      [code],
    );
    if (!found) throw new NotFoundException(`agency: no agency with code "${code}"`);
  }
}
