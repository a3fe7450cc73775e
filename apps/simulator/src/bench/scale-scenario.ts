import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { generateApiKey, hashApiKey } from '@bridge/core';
import { ApiKeyEntity, createBridgeDataSource } from '@bridge/persistence';
import { RestAgencySimulator } from '../agencies/rest-agency';
import { BridgeProcess, freePort } from '../support';
import { BenchAmqp } from './bench-amqp';
import { BENCH_SECRET_KEY, collectedEvent, registerAgencies } from './bench-fixtures';
import { BenchServices } from './bench-services';
import { BENCH_API_KEY, restAgency } from './bridge-scenario';
import { CompletionTracker, runClosedLoop } from './closed-loop';
import { LatencySummary } from './latency-stats';
import { measureProcess, ProcessCost } from './process-probe';

/** What the scale step measured. */
export interface ScaleFigures {
  agencies: number;
  /** Seconds from spawning the bridge until /health/ready answered. */
  startupS: number;
  idle: ProcessCost;
  /** While the load spread over every agency ran. */
  load: ProcessCost;
  /** The same load over every registered agency, and over five of them. */
  spread: LatencySummary;
  five: LatencySummary;
  /** Slowest of three answers of the operations overview (a 200-agency page, a search), ms. */
  overviewMs: number;
}

/** The i-th bench agency code, e.g. `003.17.99.H48` (distinct for i < 100,000). */
export function scaleAgencyCode(i: number): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(Math.floor(i / 100) % 1000, 3)}.${pad(i % 100, 2)}.${pad(99 - Math.floor(i / 100_000), 2)}.H48`;
}

/**
 * A private Redis for the step, so CLIENT LIST and the command count are the bridge's alone
 * (the shared one serves whatever else runs on the machine).
 */
async function privateRedis(): Promise<{ url: string; port: number; stop: () => void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  probe.on('error', () => undefined); // refused until the server listens; tried again below
  for (let i = 0; i < 50; i++) {
    if (
      await probe.connect().then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await probe.ping();
  probe.disconnect();
  return { url, port, stop: () => void child.kill('SIGTERM') };
}

/**
 * `npm run bench -- --agencies N`: registers N REST agencies (one fast simulator behind them
 * all), starts a standalone bridge and measures it at rest and under load spread over all N,
 * then the same load over five of them.
 */
export async function runScaleScenario(
  services: BenchServices,
  databaseUrl: string,
  namespace: string,
  options: { agencies: number; events: number; concurrency: number; nodeArgs?: string[] },
  log: (line: string) => void,
): Promise<ScaleFigures> {
  const codes = Array.from({ length: options.agencies }, (_, i) => scaleAgencyCode(i));
  const redis = await privateRedis();
  const bench = new Redis(redis.url);
  const simulator = await RestAgencySimulator.start({
    auth: { mode: 'api-key', header: 'X-Api-Key', key: BENCH_API_KEY },
  });
  let bridge: BridgeProcess | undefined;
  let operatorKey = '';
  try {
    const dataSource = createBridgeDataSource({ url: databaseUrl, poolSize: 2 });
    await dataSource.initialize();
    try {
      for (let i = 0; i < codes.length; i += 500) {
        const docs = codes.slice(i, i + 500).map((c) => restAgency(c, simulator.url, options.concurrency));
        await registerAgencies(dataSource, docs);
      }
      const { key, prefix } = generateApiKey();
      await dataSource
        .getRepository(ApiKeyEntity)
        .insert({ name: 'bench operator', role: 'operator', prefix, hash: await hashApiKey(key) });
      operatorKey = key;
    } finally {
      await dataSource.destroy();
    }
    log(`  ${codes.length} agencies registered`);
    const started = performance.now();
    bridge = await BridgeProcess.start({
      role: 'standalone',
      env: {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        AMQP_URL: services.amqpUrl,
        BRIDGE_NAMESPACE: namespace,
        BRIDGE_SECRET_KEY: BENCH_SECRET_KEY,
        LOG_LEVEL: 'warn',
      },
      nodeArgs: options.nodeArgs,
      waitReady: false,
    });
    // A start past the target is measured, not cut short: the rest of the figures still count.
    await bridge.waitReady(300_000);
    const startupS = (performance.now() - started) / 1000;
    log(`  ready in ${startupS.toFixed(1)} s; settling, then 10 s at rest`);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const idle = await measureProcess(bridge.pid, bench, redis.port, 10_000);
    log(`  idle: ${JSON.stringify(idle)}`);
    const overviewMs = await timeOverview(bridge.url, operatorKey);
    log(`  operations overview answered in ${overviewMs.toFixed(0)} ms at most`);

    const amqp = await BenchAmqp.connect(services.amqpUrl, `bench-${namespace}-scale-load`);
    try {
      const tracker = new CompletionTracker();
      await amqp.tap(`${namespace}.bridge.events`, (event) => {
        if (event.type !== 'dossier.received') return;
        const dossier = (event.data as { dossier?: { inboundItemId?: string } } | undefined)?.dossier;
        if (dossier?.inboundItemId) tracker.complete(dossier.inboundItemId);
      });
      const inbound = `${namespace}.postal.inbound`;
      const over = (pool: string[]) => {
        let turn = 0;
        return {
          tracker,
          next: () => {
            const event = collectedEvent(pool[turn++ % pool.length]);
            return { key: event.itemId, send: () => amqp.publish(inbound, event.type, event.body, event.id) };
          },
        };
      };
      const run = (pool: string[], count: number) =>
        runClosedLoop({ inFlight: 100, count, maxMs: 90_000, ...over(pool) });
      await run(codes.slice(0, 5), 200);
      const five = await run(codes.slice(0, 5), options.events);
      log(`  over 5 agencies: ${five.eventsPerSecond.toFixed(1)} ev/s, p99 ${five.p99Ms} ms`);
      const pid = bridge.pid;
      const measuring = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_000)); // once the load is steady
        return measureProcess(pid, bench, redis.port, 5_000);
      })();
      const spread = await run(codes, options.events);
      const load = await measuring;
      log(
        `  over ${codes.length} agencies: ${spread.eventsPerSecond.toFixed(1)} ev/s, p99 ${spread.p99Ms} ms`,
      );
      log(`  under load: ${JSON.stringify(load)}`);
      return { agencies: codes.length, startupS, idle, load, spread, five, overviewMs };
    } finally {
      await amqp.close();
    }
  } finally {
    await bridge?.stop().catch((e: unknown) => log(`stopping the bridge: ${String(e)}`));
    await simulator.close();
    bench.disconnect();
    redis.stop();
  }
}

/**
 * The dashboard's view of thousands of agencies: the first 200-agency page, a diacritics-free
 * search and a province's page, each asked twice (the first warms the plan); the slowest answer.
 */
async function timeOverview(url: string, key: string): Promise<number> {
  let slowest = 0;
  for (const query of ['?pageSize=200', `?q=${encodeURIComponent('dak po')}`, '?pageSize=200&page=3']) {
    for (let round = 0; round < 2; round++) {
      const started = performance.now();
      const response = await fetch(`${url}/api/v1/ops/overview${query}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      if (!response.ok) throw new Error(`operations overview ${query} answered ${response.status}`);
      await response.arrayBuffer();
      if (round === 1) slowest = Math.max(slowest, performance.now() - started);
    }
  }
  return slowest;
}
