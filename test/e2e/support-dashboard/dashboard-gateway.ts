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
  DashboardModule,
  parseAgencyYaml,
} from '@bridge/core';
import { bridgeTopologyNames } from '@bridge/messaging';
import { createTestDatabase, TEST_AMQP_URL, TestDatabase } from '@bridge/testing';

const ROOT = path.join(__dirname, '..', '..', '..');

/** The SOAP agency of adapters/soap/fixtures/agency.example.yaml. */
export const DASHBOARD_AGENCY = '000.00.53.H48';
export const DASHBOARD_AGENCY_NAME = 'UBND phường Hải Châu';

/** A gateway with the dashboard, listening on a free port of this machine. */
export interface DashboardGateway {
  app: NestExpressApplication;
  db: TestDatabase;
  baseUrl: string;
  namespace: string;
  /** Keys of role operator and postal (the latter must be refused by the dashboard). */
  operatorKey: string;
  postalKey: string;
  close(): Promise<void>;
}

/**
 * Boots the gateway role as `startBridge` wires it, plus the dashboard, on its own schema,
 * namespace and keys, with the example SOAP agency (and its parent) registered.
 */
export async function startDashboardGateway(): Promise<DashboardGateway> {
  if (typeof DashboardModule !== 'function')
    throw new Error(
      "DashboardModule is not exported by @bridge/core: libs/core/src/index.ts needs export * from './dashboard'",
    );
  const db = await createTestDatabase('dashboard');
  const namespace = `dash-${randomBytes(4).toString('hex')}`;
  const saved = { ...process.env };
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    BRIDGE_NAMESPACE: namespace,
    BRIDGE_BOOTSTRAP_ADMIN_KEY: `dashboard-admin-${randomBytes(12).toString('hex')}`,
    LOG_LEVEL: process.env.DASHBOARD_LOG_LEVEL ?? 'fatal',
  });
  const moduleRef = await Test.createTestingModule({
    imports: [BridgeAppModule.forRole('gateway'), DashboardModule],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: false });
  const cleanUp = async () => {
    await app.close();
    await deleteTopology(namespace);
    await deleteRedisKeys(namespace);
    await db.drop();
    process.env = saved;
  };
  let operatorKey: string;
  let postalKey: string;
  try {
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    await app
      .get(AgencyRegistryService)
      .apply(
        [
          agencyDocument('libs/core/src/agencies/fixtures/valid/000.00.00.H48.yaml'),
          agencyDocument('adapters/soap/fixtures/agency.example.yaml'),
        ],
        { appliedBy: 'dashboard-e2e' },
      );
    await app.get(AgencyRuntime).refresh();
    const keys = app.get(ApiKeyService);
    operatorKey = (await keys.create({ name: 'Trực ca vận hành', role: 'operator' })).key;
    postalKey = (await keys.create({ name: 'Hệ thống bưu chính', role: 'postal' })).key;
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };

  return {
    app,
    db,
    namespace,
    baseUrl: `http://127.0.0.1:${address.port}`,
    operatorKey,
    postalKey,
    close: cleanUp,
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

/** Removes the BullMQ queues, circuit state and statistics the gateway wrote under its namespace. */
async function deleteRedisKeys(namespace: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  await redis.connect();
  try {
    for (const pattern of [`bridge:${namespace}:*`, `bull:${namespace}-agency*`]) {
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
