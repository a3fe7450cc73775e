import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiKeyService } from '@bridge/core';
import { GATEWAY_AGENCY_A, GATEWAY_AGENCY_B, startTestGateway, TestDatabase } from '@bridge/testing';

/** The SOAP agency of adapters/soap/fixtures/agency.example.yaml and its parent. */
export const SOAP_AGENCY = GATEWAY_AGENCY_A;
/** Another agency's code (registered only with `agencyB`), so an agency key can be tried on the wrong one. */
export const OTHER_AGENCY = GATEWAY_AGENCY_B;

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
 * limits), with the example SOAP agency and its parent registered (and agency B if asked).
 */
export async function startHostileGateway(
  label: string,
  options: { agencyB?: boolean; env?: Record<string, string> } = {},
): Promise<HostileGateway> {
  const gateway = await startTestGateway(label, {
    prefix: 'hostile',
    agencyB: options.agencyB ?? false,
    appliedBy: 'hostile-tests',
    env: { LOG_LEVEL: process.env.HOSTILE_LOG_LEVEL ?? 'fatal', ...options.env },
  });
  const { db } = gateway;

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
    app: gateway.app,
    db,
    keys: gateway.keys,
    adminKey: gateway.bootstrapKey,
    server: gateway.server,
    rowCounts,
    close: gateway.close,
  };
}
