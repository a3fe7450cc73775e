import { RejectedRecord } from './agency-adapter';
import { IntegrationError } from './integration-error';

/**
 * A polled or pushed record the `statusChange` mapping could not use (an unknown status code,
 * a missing field), set aside with why. An object record is kept whole, as the mapping received
 * it, so that a later agency file can read it again (`readRejected`); anything else is kept only
 * as text and cannot be replayed.
 */
export function setAsideRecord(source: string, record: unknown, error: unknown): RejectedRecord {
  const rejected: RejectedRecord = {
    source,
    reason: error instanceof Error ? error.message : String(error),
    raw: JSON.stringify(record) ?? String(record),
  };
  if (record !== null && typeof record === 'object' && !Array.isArray(record))
    rejected.record = record as Record<string, unknown>;
  return rejected;
}

/**
 * The record a dead letter kept for a replay (see {@link setAsideRecord}); PERMANENT, naming
 * the source, when it kept none (set aside before records were kept, or not an object).
 */
export function recordToReadAgain(rejected: RejectedRecord): Record<string, unknown> {
  const record = rejected.record;
  if (record === null || typeof record !== 'object' || Array.isArray(record))
    throw IntegrationError.permanent(
      `${rejected.source}: the record was not kept whole, there is nothing to read again`,
    );
  return record;
}

/** {@link recordToReadAgain} for records of text fields only (a CSV row, a fixed-format record). */
export function textRecordToReadAgain(rejected: RejectedRecord): Record<string, string> {
  const record = recordToReadAgain(rejected);
  if (Object.values(record).some((value) => typeof value !== 'string'))
    throw IntegrationError.permanent(
      `${rejected.source}: the record kept is not text fields only, there is nothing to read again`,
    );
  return record as Record<string, string>;
}
