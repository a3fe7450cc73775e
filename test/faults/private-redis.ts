import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@bridge/testing';
import { sleep } from './fault-flow';

const run = promisify(execFile);

/**
 * How the server keeps its data: `aof` as docker/compose.yaml runs production Redis (append-only
 * file, fsync every second), so a restart keeps every job; `none` as a Redis run without
 * persistence (`--save "" --appendonly no`), so a restart loses everything.
 */
export type RedisPersistence = 'aof' | 'none';

const PERSISTENCE_ARGS: Record<RedisPersistence, string[]> = {
  aof: ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec'],
  none: ['--save', '', '--appendonly', 'no'],
};

/**
 * A Redis server of one test's own (a child process on a free port, its data in a temporary
 * folder), so restarting it disturbs no other test using the machine's Redis.
 */
export class PrivateRedis {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    readonly persistence: RedisPersistence,
  ) {}

  static async start(persistence: RedisPersistence = 'aof'): Promise<PrivateRedis> {
    const dir = await mkdtemp(join(tmpdir(), 'faults-redis-'));
    const redis = new PrivateRedis(await freePort(), dir, persistence);
    await redis.spawn();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Runs a redis-cli command against this server; resolves with its output. */
  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(this.port), ...args]);
    return stdout.trim();
  }

  /**
   * A real restart: SHUTDOWN, down for `downMs`, started again. With `aof` the append-only file
   * is flushed and read back; with `none` (SHUTDOWN NOSAVE) the server comes back empty.
   */
  async restart(downMs: number): Promise<void> {
    const child = this.child!;
    const exited = once(child, 'exit');
    const shutdown = this.persistence === 'none' ? ['shutdown', 'nosave'] : ['shutdown'];
    await this.cli(...shutdown).catch(() => undefined); // the connection drops as it exits
    await exited;
    await sleep(downMs);
    await this.spawn();
  }

  /** Stops the server and removes its data. Safe to call twice. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async spawn(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      ...PERSISTENCE_ARGS[this.persistence],
      '--maxmemory-policy',
      'noeviction',
    ];
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if ((await this.cli('ping').catch(() => '')) === 'PONG') return;
      if (Date.now() > deadline) throw new Error(`private redis on port ${this.port} did not start`);
      await sleep(100);
    }
  }
}
