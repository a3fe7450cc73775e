import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { ADAPTER_FACTORIES, AgencyRegistryService, SecretCipher } from '@bridge/core';
import { createBridgeDataSource, migrate, schemaOf } from '@bridge/persistence';
import { purgeNamespace } from '../support';

/** Where the demo's bridge keeps its state and how it is reached. */
export interface DemoEnvironment {
  root: string;
  databaseUrl: string;
  amqpUrl: string;
  redisUrl: string;
  namespace: string;
  port: number;
  secretKey: string;
  adminKey: string;
  /** Variables the agency files reference as `${env:NAME}`. */
  secrets: Record<string, string>;
}

/**
 * Gives the demo a clean slate: its database schema dropped, recreated and migrated, its
 * namespace's exchanges, queues and Redis keys removed, so every run starts from nothing.
 */
export async function resetDemoState(env: DemoEnvironment): Promise<void> {
  const schema = schemaOf(env.databaseUrl) ?? 'public';
  const client = new Client({ connectionString: env.databaseUrl });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`CREATE SCHEMA "${schema}"`);
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // no database yet: migrate creates it
  } finally {
    await client.end().catch(() => undefined);
  }
  await migrate(env.databaseUrl);

  await purgeNamespace(env.namespace, env);
}

/** The environment a bridge process (or the CLI) of the demo runs with. */
export function bridgeEnv(env: DemoEnvironment): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...env.secrets,
    DATABASE_URL: env.databaseUrl,
    AMQP_URL: env.amqpUrl,
    REDIS_URL: env.redisUrl,
    BRIDGE_NAMESPACE: env.namespace,
    BRIDGE_SECRET_KEY: env.secretKey,
    BRIDGE_BOOTSTRAP_ADMIN_KEY: env.adminKey,
    PORT: String(env.port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
}

/**
 * Applies the agency files of a directory: with `bridge agencies apply -f` when the CLI is
 * built, otherwise with the registry directly. Returns how it was done.
 */
export async function applyAgencies(env: DemoEnvironment, configDir: string): Promise<string> {
  const cli = join(env.root, 'dist', 'apps', 'cli', 'src', 'main.js');
  if (existsSync(cli)) {
    const child = spawn(
      process.execPath,
      [join(env.root, 'bin', 'bridge.js'), 'agencies', 'apply', '-f', configDir],
      {
        cwd: env.root,
        env: bridgeEnv(env),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code === 0) return `bridge agencies apply -f ${configDir}`;
    throw new Error(`bridge agencies apply -f ${configDir} failed (exit ${code}):\n${output}`);
  }
  const dataSource = createBridgeDataSource({
    url: env.databaseUrl,
    poolSize: 2,
    applicationName: 'bridge-demo',
  });
  await dataSource.initialize();
  try {
    const registry = new AgencyRegistryService(
      dataSource,
      new SecretCipher(env.secretKey),
      ADAPTER_FACTORIES,
      {
        configRoot: env.root,
        env: { ...process.env, ...env.secrets },
      },
    );
    await registry.apply(await registry.loadFiles(configDir), { appliedBy: 'demo' });
    return 'AgencyRegistryService.apply (the bridge CLI is not built)';
  } finally {
    await dataSource.destroy();
  }
}

/** The standalone bridge (gateway and worker in one process), as `npm start` runs it. */
export class DemoBridge {
  private output: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly logFile: string,
  ) {
    mkdirSync(dirname(logFile), { recursive: true });
    const file = createWriteStream(logFile, { flags: 'w' });
    child.once('exit', () => file.end());
    const keep = (chunk: Buffer) => {
      file.write(chunk);
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 400) this.output.splice(0, 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  static async start(env: DemoEnvironment): Promise<DemoBridge> {
    const main = join(env.root, 'dist', 'apps', 'standalone', 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    const child = spawn(process.execPath, [main], {
      cwd: env.root,
      env: bridgeEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bridge = new DemoBridge(
      child,
      `http://127.0.0.1:${env.port}`,
      join(env.root, 'var', 'demo', `bridge-${env.namespace}.log`),
    );
    await bridge.waitReady();
    return bridge;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the bridge wrote (for a failure report). */
  log(): string {
    return this.output.join('').slice(-4000);
  }

  private async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`the bridge exited during start-up:\n${this.log()}`);
      const status = await fetch(`${this.url}/health/ready`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the bridge was not ready within ${timeoutMs} ms:\n${this.log()}`);
  }

  /** SIGTERM, wait for the drain (SIGKILL after 30 s); resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}
