import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { ADAPTER_FACTORIES, AgencyRegistryService, parseAgencyYaml, SecretCipher } from '@bridge/core';
import { createBridgeDataSource, migrate } from '@bridge/persistence';
import { DataSource } from 'typeorm';
import { RestAgencySimulator } from '../agencies/rest-agency';

const SECRET_KEY = 'soak-secret-key-0123456789abcdef';
const AGENCY_KEY = 'khoa-soak';

function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
    dir = dirname(dir);
  }
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A vendor-B agency file pointing at a simulator, with the limits a steady load needs. */
function restAgency(code: string, url: string): Record<string, unknown> {
  const file = join(projectRoot(), 'adapters', 'rest', 'fixtures', 'agency.example.yaml');
  const doc = parseAgencyYaml(file, readFileSync(file, 'utf8')).data as Record<string, unknown>;
  const adapter = doc.adapter as Record<string, unknown>;
  return {
    ...doc,
    code,
    name: `Cơ quan soak ${code}`,
    parent: undefined,
    adapter: {
      ...adapter,
      endpoint: url,
      sandboxEndpoint: undefined,
      auth: { type: 'api-key', header: 'X-Api-Key', key: AGENCY_KEY },
      callbackAuth: { type: 'agency-key' },
      concurrency: 8,
      rateLimit: { max: 200, durationMs: 1000 },
      retry: { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 2000, jitter: 0.1 },
      pollIntervalMs: 5000,
    },
  };
}

/**
 * Everything one soak run stands on, made fresh and removed after: a schema of its own in the
 * `bridge_soak` database, an AMQP/Redis namespace, REST agency simulators, and one standalone
 * bridge process (the compiled app, as production runs it).
 */
export class SoakWorld {
  private readonly output: string[] = [];

  private constructor(
    readonly namespace: string,
    readonly schema: string,
    readonly dataSource: DataSource,
    readonly agencies: Map<string, RestAgencySimulator>,
    readonly bridge: ChildProcess,
    readonly port: number,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 200) this.output.splice(0, 100);
    };
    bridge.stdout?.on('data', keep);
    bridge.stderr?.on('data', keep);
  }

  static async start(agencyCount: number, baseUrl = process.env.DATABASE_URL): Promise<SoakWorld> {
    const namespace = `soak-${randomBytes(4).toString('hex')}`;
    const schema = namespace.replace('-', '_');
    const url = new URL(baseUrl ?? 'postgres://postgres@127.0.0.1:5432/bridge_soak');
    url.search = `?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    await migrate(url.toString());
    const dataSource = await createBridgeDataSource({
      url: url.toString(),
      poolSize: 2,
      applicationName: 'soak',
    }).initialize();
    const agencies = new Map<string, RestAgencySimulator>();
    for (let i = 0; i < agencyCount; i++) {
      const code = `000.00.${String(70 + i).padStart(2, '0')}.H48`;
      agencies.set(
        code,
        await RestAgencySimulator.start({
          agencyCode: code,
          latencyMs: 20,
          auth: { mode: 'api-key', header: 'X-Api-Key', key: AGENCY_KEY },
        }),
      );
    }
    await new AgencyRegistryService(dataSource, new SecretCipher(SECRET_KEY), ADAPTER_FACTORIES).apply(
      [...agencies].map(([code, sim], i) => ({
        file: `soak-${i}`,
        data: restAgency(code, sim.url),
        problems: [],
      })),
      { appliedBy: 'soak' },
    );
    const port = await freePort();
    const bridge = spawn(
      process.execPath,
      [join(projectRoot(), 'dist', 'apps', 'standalone', 'src', 'main.js')],
      {
        env: {
          ...process.env,
          DATABASE_URL: url.toString(),
          BRIDGE_NAMESPACE: namespace,
          BRIDGE_SECRET_KEY: SECRET_KEY,
          PORT: String(port),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const world = new SoakWorld(namespace, schema, dataSource, agencies, bridge, port);
    await world.waitReady();
    return world;
  }

  get codes(): string[] {
    return [...this.agencies.keys()];
  }

  /** The bridge process's resident memory now, in MB (Linux /proc). */
  rssMb(): number {
    const status = readFileSync(`/proc/${this.bridge.pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) / 1024;
  }

  /** Dossiers of these postal items by status, and how many items have none. */
  async tally(itemIds: string[]): Promise<{ byStatus: Record<string, number>; missing: number }> {
    const rows = await this.dataSource.query<{ status: string; n: number }[]>(
      `SELECT status, count(*)::int AS n FROM dossiers WHERE inbound_item_id = ANY($1) GROUP BY status`,
      [itemIds],
    );
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    const held = rows.reduce((s, r) => s + r.n, 0);
    return { byStatus, missing: itemIds.length - held };
  }

  /** How many times the agencies filed one bridge id more than once. */
  async duplicateFilings(): Promise<number> {
    let extra = 0;
    for (const sim of this.agencies.values()) {
      const counts = new Map<string, number>();
      for (const hoSo of sim.dossiers())
        counts.set(hoSo.maHoSoLienThong, (counts.get(hoSo.maHoSoLienThong) ?? 0) + 1);
      for (const n of counts.values()) extra += n - 1;
    }
    return extra;
  }

  log(): string {
    return this.output.join('').slice(-3_000);
  }

  /** Stops the bridge (SIGTERM, drain), the agencies, and drops the schema. */
  async stop(): Promise<void> {
    if (this.bridge.exitCode === null) {
      const exited = once(this.bridge, 'exit');
      this.bridge.kill('SIGTERM');
      const timer = setTimeout(() => this.bridge.kill('SIGKILL'), 45_000);
      await exited;
      clearTimeout(timer);
    }
    for (const sim of this.agencies.values()) await sim.close();
    const url = this.dataSource.options as { url?: string };
    await this.dataSource.destroy();
    const admin = new Client({ connectionString: url.url?.split('?')[0] });
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  }

  private async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.bridge.exitCode !== null)
        throw new Error(`the bridge exited with ${this.bridge.exitCode}:\n${this.log()}`);
      const ready = await fetch(`http://127.0.0.1:${this.port}/health/ready`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the bridge was not ready within ${timeoutMs} ms:\n${this.log()}`);
  }
}
