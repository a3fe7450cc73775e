import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** Statement names by text: the texts are the bridge's own constants, so this stays small. */
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `bridge_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs one of the bridge's hot statements as a named prepared statement: PostgreSQL parses
 * and plans it once per connection instead of on every call, and the driver sends only the
 * parameters after the first time. For fixed statement texts only (never text built from
 * data), and with their columns named (a prepared `SELECT *` breaks when a migration adds a
 * column under a running process).
 */
export function preparedQuery<T = unknown>(
  runner: EntityManager | DataSource,
  text: string,
  params: unknown[],
): Promise<T> {
  // The pg driver takes a query config ({ name, text }) where TypeORM passes the SQL string.
  return runner.query<T>({ name: nameOf(text), text } as unknown as string, params);
}
