import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { migrate } from '@bridge/persistence';

/** The services the bench runs on (the same for the floor and the bridge). */
export interface BenchServices {
  /** Database URL without a schema (the bench database). */
  databaseUrl: string;
  redisUrl: string;
  amqpUrl: string;
}

/** Services from the environment, with the local defaults; the database is `bridge_bench`. */
export function benchServices(env: NodeJS.ProcessEnv = process.env): BenchServices {
  return {
    databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bridge_bench',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    amqpUrl: env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  };
}

/** A name unique to this run, for the namespace, schema and Redis prefixes. */
export function runId(): string {
  return randomBytes(4).toString('hex');
}

/** The URL selecting `schema` in the bench database. */
export function schemaUrl(services: BenchServices, schema: string): string {
  return `${services.databaseUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** Creates the bench database if needed and a fresh, migrated schema; returns its URL. */
export async function createBenchSchema(services: BenchServices, schema: string): Promise<string> {
  const url = schemaUrl(services, schema);
  await migrate(url);
  return url;
}

export async function dropBenchSchema(services: BenchServices, schema: string): Promise<void> {
  const client = new Client({ connectionString: services.databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key starting with one of `prefixes` (SCAN, never KEYS). */
export async function deleteRedisKeys(redisUrl: string, prefixes: string[]): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    for (const prefix of prefixes) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) deleted += await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}
