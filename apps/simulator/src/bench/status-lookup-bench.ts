import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import { createBridgeDataSource } from '@bridge/persistence';
import { projectRoot, registerAgencies, withOverrides } from '../support';
import { benchServices, createBenchSchema, deleteRedisKeys, dropBenchSchema, runId } from './bench-services';
import { BridgeLauncher } from './bridge-launcher';

/**
 * Status by look-up at scale: 10,000 open dossiers at one REST agency that only answers
 * GET /api/hoso/{maHoSo}, looked up by one bridge worker. Says whether every dossier was
 * looked up within one interval, the most calls the agency saw in any one second (against the
 * agency's rate limit) and the worker's CPU per look-up (its CPU over the round, less what it
 * spends idle). Run: `npm run build && node dist/apps/simulator/src/bench/status-lookup-bench.js`.
 */
const DOSSIERS = Number(process.env.LOOKUP_BENCH_DOSSIERS ?? 10_000);
const INTERVAL_MS = Number(process.env.LOOKUP_BENCH_INTERVAL_MS ?? 60_000);
const RATE = { max: Number(process.env.LOOKUP_BENCH_RATE ?? 200), durationMs: 1000 };
const AGENCY = '000.00.05.H51';

/** The agency: answers every look-up "processing" at once and notes when each call came. */
async function startAgency(calls: number[]): Promise<Server> {
  const server = createServer((req, res) => {
    calls.push(Date.now());
    const code = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ maHoSo: code, trangThai: 'DANG_XU_LY', ngayHenTra: '30/12/2026' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** CPU seconds a process used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Most calls in any window of `ms` (sliding, and in windows aligned to the clock). */
function busiest(calls: number[], ms: number): { sliding: number; aligned: number } {
  const sorted = [...calls].sort((a, b) => a - b);
  let sliding = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= ms) j++;
    sliding = Math.max(sliding, i - j + 1);
  }
  const buckets = new Map<number, number>();
  for (const t of sorted) buckets.set(Math.floor(t / ms), (buckets.get(Math.floor(t / ms)) ?? 0) + 1);
  return { sliding, aligned: Math.max(0, ...buckets.values()) };
}

async function main(): Promise<void> {
  const services = benchServices();
  const id = runId();
  const schema = `bench_lookup_${id}`;
  const namespace = `bench-lookup-${id}`;
  const url = await createBenchSchema(services, schema);
  const calls: number[] = [];
  const agency = await startAgency(calls);
  const file = join(projectRoot(), 'adapters', 'rest', 'fixtures', 'lookup-only', 'agency.yaml');
  const doc = withOverrides(parse(readFileSync(file, 'utf8')) as Record<string, unknown>, {
    parent: undefined,
    adapter: {
      endpoint: `http://127.0.0.1:${(agency.address() as AddressInfo).port}`,
      auth: { type: 'api-key', header: 'X-Api-Key', key: 'bench-key' },
      concurrency: Number(process.env.LOOKUP_BENCH_CONCURRENCY ?? 16),
      rateLimit: RATE,
      statusLookup: { intervalMs: INTERVAL_MS },
    },
  });
  const dataSource = createBridgeDataSource({ url, poolSize: 2 });
  await dataSource.initialize();
  await registerAgencies(dataSource, [doc], {
    secretKey: 'bench-secret-key-0123456789abcdef',
    appliedBy: 'bench',
  });
  await dataSource.destroy();
  const worker = await BridgeLauncher.start('worker', {
    DATABASE_URL: url,
    REDIS_URL: services.redisUrl,
    AMQP_URL: services.amqpUrl,
    BRIDGE_NAMESPACE: namespace,
    BRIDGE_SECRET_KEY: 'bench-secret-key-0123456789abcdef',
    LOG_LEVEL: 'warn',
  });
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    // What the worker spends with nothing to look up, to take off the round's CPU.
    const idleFrom = { cpu: cpuSeconds(worker.pid), at: Date.now() };
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idlePerSecond = (cpuSeconds(worker.pid) - idleFrom.cpu) / ((Date.now() - idleFrom.at) / 1000);

    await db.query(
      `INSERT INTO dossiers (id, inbound_item_id, agency_code, procedure_code, agency_dossier_code,
                             service_option, status, sequence, snapshot)
       SELECT gen_random_uuid(), 'BL' || lpad(i::text, 9, '0') || 'VN', $1, '1.001612',
              'HS-' || i, 'both', 'processing', 4, '{}'::jsonb
       FROM generate_series(1, $2) AS i`,
      [AGENCY, DOSSIERS],
    );
    const start = { cpu: cpuSeconds(worker.pid), at: Date.now() };
    let looked = 0;
    while (Date.now() - start.at < INTERVAL_MS * 1.5) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM status_lookups WHERE looked_up_at IS NOT NULL`,
      );
      looked = Number(rows[0].n);
      if (looked >= DOSSIERS) break;
    }
    const seconds = (Date.now() - start.at) / 1000;
    const cpu = cpuSeconds(worker.pid) - start.cpu - idlePerSecond * seconds;
    const { rows } = await db.query<{ first: Date; last: Date; enrolled: Date }>(
      `SELECT min(looked_up_at) AS first, max(looked_up_at) AS last, min(unchanged_since) AS enrolled
       FROM status_lookups`,
    );
    const round = (rows[0].last.getTime() - rows[0].enrolled.getTime()) / 1000;
    const peak = busiest(calls, RATE.durationMs);
    const report = {
      dossiers: DOSSIERS,
      intervalSeconds: INTERVAL_MS / 1000,
      rateLimit: `${RATE.max} per ${RATE.durationMs} ms`,
      lookedUp: looked,
      calls: calls.length,
      allWithinOneInterval: looked >= DOSSIERS && round <= INTERVAL_MS / 1000,
      roundSeconds: Number(round.toFixed(1)),
      busiestSecondSliding: peak.sliding,
      busiestSecondAligned: peak.aligned,
      workerCpuSeconds: Number(cpu.toFixed(2)),
      cpuMsPerLookup: Number(((cpu * 1000) / Math.max(1, calls.length)).toFixed(3)),
      idleCpuPercent: Number((idlePerSecond * 100).toFixed(1)),
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await db.end();
    await worker.stop();
    agency.close();
    await dropBenchSchema(services, schema);
    await deleteRedisKeys(services.redisUrl, [`bull:${namespace}`, `bridge:${namespace}`]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
