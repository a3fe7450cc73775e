import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from './prepared-query';

/**
 * A data-modifying statement of the caller's that rides along with the ledger's statement (an
 * inbox settlement, staged message-log entries, leases given back): it gets its parameters
 * through `param` and returns the statement text, which must depend only on which parts are
 * present (the whole statement is prepared). It must not touch dossiers, the timeline, the
 * outbox or parked events: one statement changes a row once at most.
 */
export type SideWrite = (param: (value: unknown) => string) => string;

/** Runs a side write on its own (no ledger statement to ride with), `suffix` appended. */
export function runSideWrite<T = unknown>(
  manager: EntityManager | DataSource,
  write: SideWrite,
  suffix = '',
): Promise<T> {
  const params: unknown[] = [];
  const text = write((value) => {
    params.push(value);
    return `$${params.length}`;
  });
  return preparedQuery<T>(manager, text + suffix, params);
}
