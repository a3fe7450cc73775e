/**
 * How long the bridge lets things wait or keeps them: parked events, agencies that stopped
 * answering polls, and personal data of finished work. Read with the rest of the configuration.
 */
export interface HousekeepingConfig {
  /** A parked event older than this becomes a dead letter (`BRIDGE_PARKED_EVENT_EXPIRY`). */
  parkedEventExpiryMs: number;
  /**
   * A polled agency whose last successful poll or callback is older than this many poll
   * intervals shows as unhealthy (`BRIDGE_POLL_STALE_INTERVALS`).
   */
  pollStaleIntervals: number;
  /** Retention per category; `null` keeps that category for ever. */
  retention: RetentionPeriods;
  /** How often a worker runs the purge (`BRIDGE_PURGE_EVERY`). */
  purgeEveryMs: number;
}

/** How long each category of personal data is kept; `null` = no limit. */
export interface RetentionPeriods {
  /** Personal fields of finished dossiers, counted from the last change (`BRIDGE_RETAIN_DOSSIER_PERSONAL_DATA`). */
  dossierPersonalData: number | null;
  /** Bodies of the message log (`BRIDGE_RETAIN_MESSAGE_BODIES`). */
  messageBodies: number | null;
  /** Inbox (de-duplication) rows (`BRIDGE_RETAIN_INBOX`). */
  inbox: number | null;
  /** Published outbox rows (`BRIDGE_RETAIN_PUBLISHED_OUTBOX`). */
  publishedOutbox: number | null;
  /** Replayed or discarded dead letters (`BRIDGE_RETAIN_RESOLVED_DEAD_LETTERS`). */
  resolvedDeadLetters: number | null;
}

export const HOUSEKEEPING_DEFAULTS = {
  BRIDGE_PARKED_EVENT_EXPIRY: '24h',
  BRIDGE_POLL_STALE_INTERVALS: '5',
  BRIDGE_RETAIN_DOSSIER_PERSONAL_DATA: '90d',
  BRIDGE_RETAIN_MESSAGE_BODIES: '180d',
  BRIDGE_RETAIN_INBOX: '30d',
  BRIDGE_RETAIN_PUBLISHED_OUTBOX: '7d',
  BRIDGE_RETAIN_RESOLVED_DEAD_LETTERS: '90d',
  BRIDGE_PURGE_EVERY: '1h',
} as const;

type Name = keyof typeof HOUSEKEEPING_DEFAULTS;
type Env = Record<string, string | undefined>;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The longest delay Node's timers keep (about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;
/** Ten years: a longer retention is a typo, not a policy. */
const MAX_RETENTION_MS = 3650 * UNIT_MS.d;

/** Parses `90d`, `12h`, `30m`, `5s`, `500ms`; undefined when it is none of those. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d{1,7})(ms|s|m|h|d)$/.exec(raw.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : undefined;
}

function duration(env: Env, name: Name, min: number, max: number, problems: string[], off = false) {
  const raw = (env[name] ?? HOUSEKEEPING_DEFAULTS[name]).trim();
  if (off && raw === 'off') return null;
  const value = parseDuration(raw);
  if (value === undefined || value < min || value > max) {
    problems.push(
      `${name} must be a duration such as 90d, 12h, 30m or 5s, from ${min} ms to ${max} ms${off ? ", or 'off'" : ''}, got "${raw}"`,
    );
  }
  return value ?? 0;
}

/** Reads the housekeeping variables; each problem is pushed naming its variable. */
export function loadHousekeepingConfig(env: Env, problems: string[]): HousekeepingConfig {
  const rawStale = (
    env.BRIDGE_POLL_STALE_INTERVALS ?? HOUSEKEEPING_DEFAULTS.BRIDGE_POLL_STALE_INTERVALS
  ).trim();
  const pollStaleIntervals = Number(rawStale);
  if (!/^\d+$/.test(rawStale) || pollStaleIntervals < 2 || pollStaleIntervals > 1000) {
    problems.push(`BRIDGE_POLL_STALE_INTERVALS must be a whole number from 2 to 1000, got "${rawStale}"`);
  }
  const retain = (name: Name) => duration(env, name, UNIT_MS.s, MAX_RETENTION_MS, problems, true);
  return {
    parkedEventExpiryMs: duration(env, 'BRIDGE_PARKED_EVENT_EXPIRY', UNIT_MS.s, MAX_TIMER_MS, problems) ?? 0,
    pollStaleIntervals,
    retention: {
      dossierPersonalData: retain('BRIDGE_RETAIN_DOSSIER_PERSONAL_DATA'),
      messageBodies: retain('BRIDGE_RETAIN_MESSAGE_BODIES'),
      inbox: retain('BRIDGE_RETAIN_INBOX'),
      publishedOutbox: retain('BRIDGE_RETAIN_PUBLISHED_OUTBOX'),
      resolvedDeadLetters: retain('BRIDGE_RETAIN_RESOLVED_DEAD_LETTERS'),
    },
    purgeEveryMs: duration(env, 'BRIDGE_PURGE_EVERY', UNIT_MS.s, MAX_TIMER_MS, problems) ?? 0,
  };
}
