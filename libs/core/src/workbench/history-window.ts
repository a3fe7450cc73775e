/** Most messages one diff reads; the default is what a month of a busy agency logs. */
export const MAX_DIFF_MESSAGES = 100_000;
export const DEFAULT_DIFF_MESSAGES = 10_000;

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `30d`, `12h`, `90m` before `now`, or an ISO 8601 date; anything else is refused with the
 * forms it accepts.
 */
export function parseSince(text: string | undefined, now = new Date()): Date {
  const value = (text ?? '30d').trim();
  const relative = /^(\d{1,5})([mhd])$/.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2]]);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new RangeError(`--since must be like 30d, 12h, 90m or an ISO date, got "${value.slice(0, 40)}"`);
}

/** A whole number from 1 to {@link MAX_DIFF_MESSAGES}; the default when absent. */
export function parseLimit(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_DIFF_MESSAGES;
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value : JSON.stringify(value);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DIFF_MESSAGES) {
    throw new RangeError(
      `--limit must be a whole number from 1 to ${MAX_DIFF_MESSAGES}, got "${text.slice(0, 40)}"`,
    );
  }
  return n;
}
