import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import * as amqp from 'amqplib';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { bridgeTopologyNames, deleteBridgeTopology } from '@bridge/messaging';
import { freePort, TEST_AMQP_URL, TEST_DATABASE_URL, uniqueAmqpPrefix } from '@bridge/testing';

const ROOT = join(__dirname, '..', '..');

/**
 * `npm run demo` as a person runs it, with a small count and a short outage: a real bridge,
 * every simulated agency of the Đà Nẵng pilot, the simulated post — and nothing lost.
 */
describe('the Đà Nẵng pilot demo', () => {
  const namespace = uniqueAmqpPrefix('demo')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 40);
  const schema = `demo_e2e_${Date.now().toString(36)}`;

  afterAll(async () => {
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
    const connection = await amqp.connect(TEST_AMQP_URL);
    await deleteBridgeTopology(await connection.createChannel(), bridgeTopologyNames(namespace));
    await connection.close();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    for (const pattern of [`bull:${namespace}-agency.*`, `bridge:${namespace}:*`]) {
      const keys = await redis.keys(pattern);
      if (keys.length > 0) await redis.del(...keys);
    }
    redis.disconnect();
  });

  it('runs 40 dossiers to the end, shows the per-agency table and loses none', async () => {
    const databaseUrl = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'dist', 'apps', 'simulator', 'src', 'demo', 'main.js'),
        ...['--dossiers', '40', '--rate', '8', '--outage-ms', '6000', '--deadline-ms', '100000'],
        ...['--namespace', namespace, '--database-url', databaseUrl, '--port', String(await freePort())],
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];

    if (code !== 0) throw new Error(`demo exited with ${code}:\n${output.slice(-5000)}`);
    expect(output).toMatch(/^lost: 0$/m);
    expect(output).toMatch(/^duplicates: 0 /m);
    expect(output).toMatch(
      /^agency\s+name\s+kind\s+submitted\s+completed\s+rejected\s+on time\s+late\s+dead letters$/m,
    );
    // one row per simulated agency of the pilot, and a total row that accounts for every dossier
    expect(output.match(/^000\.\d\d\.\d\d\.H48\s/gm)).toHaveLength(18);
    const total = /^total\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m.exec(output);
    expect(total).not.toBeNull();
    const [submitted, completed, rejected, , , deadLetters] = total!.slice(1).map(Number);
    expect(submitted).toBe(40);
    expect(completed + rejected).toBe(40);
    expect(deadLetters).toBeGreaterThanOrEqual(1);
    // the outage opened the agency's circuit and it closed again within the run
    expect(output).toContain('agency.circuit_opened: 000.00.05.H48');
    expect(output).toContain('agency.circuit_closed: 000.00.05.H48');
    expect(output).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+\/ops/);
  }, 180_000);
});
