import { NestExpressApplication } from '@nestjs/platform-express';
import { DashboardModule } from '@bridge/core';
import { GATEWAY_AGENCY_A, startTestGateway, TestDatabase } from '@bridge/testing';

/** The SOAP agency of adapters/soap/fixtures/agency.example.yaml. */
export const DASHBOARD_AGENCY = GATEWAY_AGENCY_A;
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
 * namespace and keys, with the example SOAP agency (and its parent) registered; `env` adds
 * configuration variables.
 */
export async function startDashboardGateway(env: Record<string, string> = {}): Promise<DashboardGateway> {
  if (typeof DashboardModule !== 'function')
    throw new Error(
      "DashboardModule is not exported by @bridge/core: libs/core/src/index.ts needs export * from './dashboard'",
    );
  const gateway = await startTestGateway('dashboard', {
    prefix: 'dash',
    agencyB: false,
    appliedBy: 'dashboard-e2e',
    imports: [DashboardModule],
    env: { LOG_LEVEL: process.env.DASHBOARD_LOG_LEVEL ?? 'fatal', ...env },
  });
  const { app } = gateway;
  let operatorKey: string;
  let postalKey: string;
  try {
    await app.listen(0, '127.0.0.1');
    operatorKey = (await gateway.keys.create({ name: 'Trực ca vận hành', role: 'operator' })).key;
    postalKey = (await gateway.keys.create({ name: 'Hệ thống bưu chính', role: 'postal' })).key;
  } catch (error) {
    await gateway.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };

  return {
    app,
    db: gateway.db,
    namespace: gateway.namespace,
    baseUrl: `http://127.0.0.1:${address.port}`,
    operatorKey,
    postalKey,
    close: gateway.close,
  };
}
