import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import * as amqp from 'amqplib';
import { Redis } from 'ioredis';
import {
  AgencyRegistryService,
  AgencyRuntime,
  ApiKeyService,
  BridgeAppModule,
  configureHttpApp,
  parseAgencyYaml,
} from '@bridge/core';
import { bridgeTopologyNames } from '@bridge/messaging';
import { createTestDatabase, TEST_AMQP_URL, TestDatabase } from '@bridge/testing';

const ROOT = path.join(__dirname, '..', '..');

/** The SOAP agency of adapters/soap/fixtures/agency.example.yaml and its parent. */
export const SOAP_AGENCY = '000.00.53.H48';
/** Another agency's code, so an agency key can be tried on the wrong one. */
export const OTHER_AGENCY = '000.00.21.H48';

/** A gateway running in this process on its own schema, namespace and keys. */
export interface HostileGateway {
  app: NestExpressApplication;
  db: TestDatabase;
  keys: ApiKeyService;
  adminKey: string;
  server(): never;
  /** Row count of every table of the schema, to prove a refusal stored nothing. */
  rowCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * Boots the gateway role exactly as `startBridge` wires it (same module, same body parsers and
 * limits), with the example SOAP agency and a second agency registered.
 */
export async function startHostileGateway(label: string): Promise<HostileGateway> {
  const db = await createTestDatabase(`hostile_${label}`);
  const namespace = `hostile-${label}-${randomBytes(3).toString('hex')}`.toLowerCase();
  const adminKey = `hostile-admin-${randomBytes(12).toString('hex')}`;
  process.env.DATABASE_URL = db.url;
  process.env.BRIDGE_NAMESPACE = namespace;
  process.env.BRIDGE_BOOTSTRAP_ADMIN_KEY = adminKey;
  process.env.LOG_LEVEL = process.env.HOSTILE_LOG_LEVEL ?? 'fatal';

  const moduleRef = await Test.createTestingModule({
    imports: [BridgeAppModule.forRole('gateway')],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: false });
  configureHttpApp(app);
  await app.init();

  await app
    .get(AgencyRegistryService)
    .apply(
      [
        agencyDocument('libs/core/src/agencies/fixtures/valid/000.00.00.H48.yaml'),
        agencyDocument('adapters/soap/fixtures/agency.example.yaml'),
      ],
      { appliedBy: 'hostile-tests' },
    );
  await app.get(AgencyRuntime).refresh();

  const rowCounts = async (): Promise<Record<string, number>> => {
    const tables = await db.dataSource.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [db.schema],
    );
    const counts: Record<string, number> = {};
    for (const { table_name } of tables) {
      const [row] = await db.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${db.schema}"."${table_name}"`,
      );
      counts[table_name] = row.n;
    }
    return counts;
  };

  return {
    app,
    db,
    keys: app.get(ApiKeyService),
    adminKey,
    server: () => app.getHttpServer() as never,
    rowCounts,
    async close() {
      await app.close();
      await deleteTopology(namespace);
      await deleteRedisKeys(namespace);
      await db.drop();
    },
  };
}

function agencyDocument(relative: string) {
  return parseAgencyYaml(relative, readFileSync(path.join(ROOT, relative), 'utf8'));
}

/** Removes the exchanges and queues the gateway declared under its namespace. */
async function deleteTopology(namespace: string): Promise<void> {
  const names = bridgeTopologyNames(namespace);
  const connection = await amqp.connect(TEST_AMQP_URL);
  try {
    const channel = await connection.createChannel();
    for (const queue of [names.postalInboundQueue, names.postalInboundDeadQueue])
      await channel.deleteQueue(queue);
    for (const exchange of [
      names.postalInboundExchange,
      names.bridgeEventsExchange,
      names.deadLetterExchange,
    ])
      await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}

/** Removes the Redis keys (BullMQ queues, adapter store) the gateway wrote under its namespace. */
async function deleteRedisKeys(namespace: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  try {
    for (const pattern of [`bridge:${namespace}:*`, `${namespace}-agency:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
