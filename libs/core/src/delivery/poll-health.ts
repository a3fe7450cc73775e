import { DataSource } from 'typeorm';

/**
 * How an agency's status reports are faring: `healthy`; `failing` — its latest poll failed;
 * `stale` — no successful poll or callback for longer than the configured number of poll
 * intervals; `not_polled` — it has no poll interval (it only calls back or is only written to),
 * so silence says nothing; `paused` — an operator paused it.
 */
export type PollState = 'healthy' | 'failing' | 'stale' | 'not_polled' | 'paused';

/** One agency's poll health, as the overview and the metrics show it. */
export interface PollHealth {
  state: PollState;
  /** False only for `failing` and `stale`. */
  healthy: boolean;
  intervalMs: number | null;
  lastSuccessAt: string | null;
  /** `poll` or `callback`. */
  lastSuccessVia: string | null;
  lastFailureAt: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  /** Why it is unhealthy, in a sentence; null when healthy. */
  reason: string | null;
}

/** What the health of one agency is judged from. */
export interface PollFacts {
  intervalMs: number | null;
  paused: boolean;
  /** Since when its current adapter has been polling (a never-successful agency counts from here). */
  since: Date;
  lastSuccessAt: Date | null;
  lastSuccessVia: string | null;
  lastFailureAt: Date | null;
  consecutiveFailures: number;
  lastError: string | null;
}

/** Longest error text kept: enough to read the cause, bounded whatever the agency answered. */
const MAX_ERROR = 500;

/** Judges one agency (pure: the overview, the metrics and the tests share it). */
export function judgePollHealth(facts: PollFacts, staleIntervals: number, now: Date): PollHealth {
  const view = {
    intervalMs: facts.intervalMs,
    lastSuccessAt: facts.lastSuccessAt?.toISOString() ?? null,
    lastSuccessVia: facts.lastSuccessVia,
    lastFailureAt: facts.lastFailureAt?.toISOString() ?? null,
    consecutiveFailures: facts.consecutiveFailures,
    lastError: facts.lastError,
  };
  const ok = (state: PollState): PollHealth => ({ state, healthy: true, reason: null, ...view });
  if (facts.paused) return ok('paused');
  if (!facts.intervalMs) return ok('not_polled');
  if (facts.consecutiveFailures > 0) {
    const reason = `the last ${facts.consecutiveFailures} poll(s) failed: ${facts.lastError ?? 'no detail'}`;
    return { state: 'failing', healthy: false, reason, ...view };
  }
  const from = facts.lastSuccessAt && facts.lastSuccessAt > facts.since ? facts.lastSuccessAt : facts.since;
  const limitMs = staleIntervals * facts.intervalMs;
  if (now.getTime() - from.getTime() > limitMs) {
    const reason = `no successful poll or callback since ${from.toISOString()} (limit ${staleIntervals} intervals of ${facts.intervalMs} ms)`;
    return { state: 'stale', healthy: false, reason, ...view };
  }
  return ok('healthy');
}

/**
 * Records how each agency's polls and callbacks end, in PostgreSQL so every worker and the
 * gateway see the same picture. Called where a poll or a callback completes; a failure to
 * record never fails the poll itself (the caller logs it).
 */
export class PollHealthRecorder {
  constructor(private readonly dataSource: DataSource) {}

  async succeeded(agencyCode: string, via: 'poll' | 'callback', at: Date = new Date()): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO agency_poll_health AS h (agency_code, last_success_at, last_success_via, updated_at)
       VALUES ($1, $2, $3, $2)
       ON CONFLICT (agency_code) DO UPDATE SET last_success_at = GREATEST(h.last_success_at, $2),
         last_success_via = $3, updated_at = $2,
         consecutive_failures = CASE WHEN $3 = 'poll' THEN 0 ELSE h.consecutive_failures END`,
      [agencyCode, at, via],
    );
  }

  async failed(agencyCode: string, error: unknown, at: Date = new Date()): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR);
    await this.dataSource.query(
      `INSERT INTO agency_poll_health AS h (agency_code, last_failure_at, consecutive_failures, last_error, updated_at)
       VALUES ($1, $2, 1, $3, $2)
       ON CONFLICT (agency_code) DO UPDATE SET last_failure_at = $2, last_error = $3, updated_at = $2,
         consecutive_failures = h.consecutive_failures + 1`,
      [agencyCode, at, message],
    );
  }
}

/** The poll health of every active agency, by code. */
export async function readPollHealth(
  dataSource: DataSource,
  staleIntervals: number,
  now: Date = new Date(),
): Promise<Map<string, PollHealth>> {
  const rows = await dataSource.query<
    Array<{
      code: string;
      interval_ms: string | null;
      paused: boolean;
      since: Date;
      last_success_at: Date | null;
      last_success_via: string | null;
      last_failure_at: Date | null;
      consecutive_failures: number | null;
      last_error: string | null;
    }>
  >(
    `SELECT a.code, s.spec->>'pollIntervalMs' AS interval_ms, a.paused, s.created_at AS since,
            h.last_success_at, h.last_success_via, h.last_failure_at, h.consecutive_failures, h.last_error
       FROM agencies a
       JOIN adapter_specs s ON s.agency_code = a.code AND s.version = a.spec_version
       LEFT JOIN agency_poll_health h ON h.agency_code = a.code
      WHERE a.retired_at IS NULL`,
  );
  return new Map(
    rows.map((r) => [
      r.code,
      judgePollHealth(
        {
          intervalMs: r.interval_ms === null ? null : Number(r.interval_ms) || null,
          paused: r.paused,
          since: new Date(r.since),
          lastSuccessAt: r.last_success_at ? new Date(r.last_success_at) : null,
          lastSuccessVia: r.last_success_via,
          lastFailureAt: r.last_failure_at ? new Date(r.last_failure_at) : null,
          consecutiveFailures: Number(r.consecutive_failures ?? 0),
          lastError: r.last_error,
        },
        staleIntervals,
        now,
      ),
    ]),
  );
}
