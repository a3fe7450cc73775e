import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamicModule, Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import {
  AgencyRegistryService,
  AgencyRuntime,
  ApiKeyService,
  configureHttpApp,
  parseAgencyYaml,
} from '@bridge/core';
import { GatewayAppModule } from '@bridge/gateway';
import { purgeNamespace } from '@bridge/simulator';
import { TEST_AMQP_URL } from './rabbit-admin';
import { createTestDatabase, TestDatabase } from './test-database';

const ROOT = join(__dirname, '..', '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CITY_FILE = 'libs/core/src/agencies/fixtures/valid/000.00.00.H48.yaml';
const SOAP_FILE = 'adapters/soap/fixtures/agency.example.yaml';

/** Agency A: the SOAP example agency (adapters/soap/fixtures/agency.example.yaml). */
export const GATEWAY_AGENCY_A = '000.00.53.H48';
/** Agency B: the same adapter under another code, so one agency's key can be tried on the other. */
export const GATEWAY_AGENCY_B = '000.00.21.H48';

/** A gateway (`GatewayAppModule`, as apps/gateway runs it) running in this process on its own schema. */
export interface TestGateway {
  app: NestExpressApplication;
  db: TestDatabase;
  namespace: string;
  keys: ApiKeyService;
  /** BRIDGE_BOOTSTRAP_ADMIN_KEY of this gateway. */
  bootstrapKey: string;
  server(): never;
  /** Closes the app, then drops its schema, exchanges, queues and Redis keys. */
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Runs after `configureHttpApp` and before `init` (e.g. mounting the API docs). */
  beforeInit?: (app: NestExpressApplication) => void;
  /** Extra environment for the app's configuration (restored on close). */
  env?: Record<string, string>;
  /** Modules imported beside the gateway's root module (e.g. the dashboard). */
  imports?: (Type | DynamicModule)[];
  /** Registers agency B beside the city and agency A (default true). */
  agencyB?: boolean;
  /** Starts the schema and namespace names, to tell the suites' leftovers apart (default `gw`). */
  prefix?: string;
  /** Recorded as the author of the agency registration (default `gateway-tests`). */
  appliedBy?: string;
}

/**
 * Boots the gateway role as `startBridge` wires it (same root module and body parsers) on a
 * fresh schema, a unique BRIDGE_NAMESPACE and a bootstrap admin key, with the city of Đà Nẵng
 * and agencies A (and B unless `agencyB: false`) registered and loaded.
 */
export async function startTestGateway(
  label: string,
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  const prefix = options.prefix ?? 'gw';
  const db = await createTestDatabase(`${prefix}_${label}`);
  const namespace = `${prefix}-${label}-${randomBytes(3).toString('hex')}`
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-');
  const bootstrapKey = `${prefix}-admin-${randomBytes(12).toString('hex')}`;
  const restoreEnv = applyEnv({
    DATABASE_URL: db.url,
    BRIDGE_NAMESPACE: namespace,
    BRIDGE_BOOTSTRAP_ADMIN_KEY: bootstrapKey,
    LOG_LEVEL: process.env.GATEWAY_TEST_LOG_LEVEL ?? 'fatal',
    ...options.env,
  });

  const moduleRef = await Test.createTestingModule({
    imports: [GatewayAppModule, ...(options.imports ?? [])],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ rawBody: true, logger: false });
  const close = async () => {
    try {
      await app.close();
    } finally {
      restoreEnv();
      await purgeNamespace(namespace, { amqpUrl: TEST_AMQP_URL, redisUrl: REDIS_URL });
      await db.drop();
    }
  };
  try {
    configureHttpApp(app);
    options.beforeInit?.(app);
    await app.init();
    await app
      .get(AgencyRegistryService)
      .apply(gatewayAgencies(options.agencyB ?? true), { appliedBy: options.appliedBy ?? 'gateway-tests' });
    await app.get(AgencyRuntime).refresh();
  } catch (error) {
    await close().catch(() => undefined); // the start-up failure is the one worth reporting
    throw error;
  }

  return {
    app,
    db,
    namespace,
    keys: app.get(ApiKeyService),
    bootstrapKey,
    server: () => app.getHttpServer() as never,
    close,
  };
}

/** The city, agency A and (if asked) agency B, as parsed agency files. */
function gatewayAgencies(withAgencyB: boolean) {
  const soap = readFileSync(join(ROOT, SOAP_FILE), 'utf8');
  const documents = [
    parseAgencyYaml(CITY_FILE, readFileSync(join(ROOT, CITY_FILE), 'utf8')),
    parseAgencyYaml('agency-a.yaml', soap),
  ];
  if (withAgencyB) {
    const agencyB = parseAgencyYaml('agency-b.yaml', soap);
    agencyB.data = {
      ...(agencyB.data as Record<string, unknown>),
      code: GATEWAY_AGENCY_B,
      name: 'UBND phường Sơn Trà',
    };
    documents.push(agencyB);
  }
  return documents;
}

/** Sets `env` on process.env; the returned function puts the previous values back. */
function applyEnv(env: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
