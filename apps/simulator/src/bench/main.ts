import { promises as fs } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as amqp from 'amqplib';
import { bridgeTopologyNames, deleteBridgeTopology } from '@bridge/messaging';
import { projectRoot } from './bench-fixtures';
import { parseBenchOptions } from './bench-options';
import { BenchFigures, benchChecks, renderTable } from './bench-report';
import { benchServices, createBenchSchema, deleteRedisKeys, dropBenchSchema, runId } from './bench-services';
import { BENCH_CSV_AGENCY, BridgeScenario } from './bridge-scenario';
import { runCsvThroughput } from './csv-throughput';
import { ReferenceRun, runFloorScenario, runSameWorkScenario } from './floor-scenario';
import { MemorySampler } from './memory-sampler';
import { renderScaleTable, scaleChecks } from './scale-report';
import { runScaleScenario } from './scale-scenario';
import { measureSoapMappingCost } from './soap-mapping-cost';

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * `npm run bench`: the floor pipeline and the bridge end to end on the same services, the CSV
 * status-file throughput and the SOAP mapping cost; prints a table with the verdicts, writes
 * bench-results/bench-<timestamp>.json, and ends with `bridge/floor throughput: <ratio>`.
 */
async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const services = benchServices();
  const id = runId();
  const namespace = `bench-${id}`;
  const schema = `bench_${id}`;
  const root = projectRoot();
  const figures: BenchFigures = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
  };
  const memory = new MemorySampler(200);
  const levels = [
    { inFlight: 10, events: options.events10 },
    { inFlight: 100, events: options.events100 },
  ];

  if (options.parts.has('soap')) {
    log('SOAP mapping cost');
    figures.soap = await measureSoapMappingCost(options.soapCalls);
    log(`  adapter ${figures.soap.adapterUs} µs, bare ${figures.soap.bareUs} µs per call`);
  }

  const needsDatabase = ['floor', 'same-work', 'bridge', 'csv', 'scale'].some((p) =>
    options.parts.has(p as 'floor'),
  );
  const databaseUrl = needsDatabase ? await createBenchSchema(services, schema) : '';
  let scenario: BridgeScenario | undefined;
  try {
    const reference: ReferenceRun = {
      services,
      databaseUrl,
      namespace,
      levels,
      warmup: options.warmup,
      memory,
      log,
    };
    if (options.parts.has('floor')) {
      log('floor pipeline');
      figures.floor = await runFloorScenario(reference);
    }
    if (options.parts.has('same-work')) {
      log('same-work pipeline');
      figures.sameWork = await runSameWorkScenario(reference);
    }
    if (options.parts.has('bridge') || options.parts.has('csv')) {
      const nodeArgs = options.cpuProfile
        ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench-results', 'profiles')}`]
        : [];
      scenario = await BridgeScenario.start(services, databaseUrl, namespace, options.concurrency, nodeArgs);
      memory.watch('bridge', scenario.bridge.pid);
    }
    if (scenario && options.parts.has('bridge')) {
      log('bridge end to end');
      const measured = await scenario.measure(services, levels, options.warmup, memory, log);
      figures.bridge = { ...measured, peakMb: memory.peakOf('bridge').hwmMb };
    }
    if (scenario && options.parts.has('csv')) {
      log(`CSV status file, ${options.csvRows} rows`);
      figures.csv = await runCsvThroughput(
        databaseUrl,
        BENCH_CSV_AGENCY,
        scenario.csv.outboxDir,
        options.csvRows,
        120_000,
        log,
      );
      memory.sample();
      if (Number.isNaN(figures.csv.appliedSeconds)) log(`bridge output:\n${scenario.bridge.log()}`);
      figures.bridge = {
        levels: [],
        peakMb: Number.NaN,
        ...figures.bridge,
        peakMbWithCsv: memory.peakOf('bridge').hwmMb,
      };
    }
    if (options.parts.has('scale')) {
      log(`scale: ${options.agencies} agencies`);
      figures.scale = await runScaleScenario(
        services,
        databaseUrl,
        scaleNamespace(namespace),
        {
          agencies: options.agencies,
          events: options.events100,
          concurrency: options.concurrency,
          nodeArgs: options.cpuProfile
            ? ['--cpu-prof', `--cpu-prof-dir=${join(root, 'bench-results', 'profiles')}`]
            : [],
        },
        log,
      );
    }
  } finally {
    memory.stop();
    await scenario?.stop().catch((e: unknown) => log(`stopping the bridge: ${String(e)}`));
    await cleanUp(services, namespace, schema, needsDatabase);
  }

  const checks = [...benchChecks(figures), ...(figures.scale ? scaleChecks(figures.scale) : [])];
  const table = [
    options.parts.has('floor') || options.parts.has('bridge')
      ? renderTable(figures, benchChecks(figures))
      : '',
    figures.scale ? renderScaleTable(figures.scale, scaleChecks(figures.scale)) : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const folder = join(root, 'bench-results');
  await fs.mkdir(folder, { recursive: true });
  const file = join(folder, `bench-${figures.startedAt.replace(/[:.]/g, '-')}.json`);
  const json = JSON.stringify({ ...figures, checks }, null, 2);
  await fs.writeFile(file, `${json}\n`);
  const ratio = checks[0].value;
  const figure = (name: string) => {
    const value = checks.find((c) => c.name === name)?.value ?? Number.NaN;
    return Number.isNaN(value) ? 'n/a' : value.toFixed(2);
  };
  process.stdout.write(`\n${table}\n\n${json}\n\nresults written to ${file}\n`);
  process.stdout.write(`bridge/same-work throughput: ${figure('bridge/same-work throughput @100')}\n`);
  process.stdout.write(`bridge/same-work p50 @10: ${figure('bridge/same-work p50 @10')}\n`);
  process.stdout.write(`bridge/same-work CPU: ${figure('bridge/same-work CPU @100')}\n`);
  process.stdout.write(`bridge/floor throughput: ${Number.isNaN(ratio) ? 'n/a' : ratio.toFixed(2)}\n`);
}

const scaleNamespace = (namespace: string) => `${namespace}-scale`;

/** Removes what the run created: the bridge's exchanges and queues, Redis keys, the schema. */
async function cleanUp(
  services: ReturnType<typeof benchServices>,
  namespace: string,
  schema: string,
  dropSchema: boolean,
): Promise<void> {
  try {
    const connection = await amqp.connect(services.amqpUrl);
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    // The scale step's bridge runs in a namespace of its own.
    for (const ns of [namespace, scaleNamespace(namespace)])
      await deleteBridgeTopology(channel, bridgeTopologyNames(ns)).catch(() => undefined);
    await connection.close().catch(() => undefined);
  } catch (error) {
    log(`clean-up of RabbitMQ failed: ${String(error)}`);
  }
  await deleteRedisKeys(services.redisUrl, [`bull:${namespace}-agency`, `bridge:${namespace}`]).catch(
    (e: unknown) => log(`clean-up of Redis failed: ${String(e)}`),
  );
  if (dropSchema)
    await dropBenchSchema(services, schema).catch((e: unknown) =>
      log(`dropping schema ${schema} failed: ${String(e)}`),
    );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
