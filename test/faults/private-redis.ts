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
 * A Redis server of one test's own (a child process on a free port, its data in a temporary
 * folder), so restarting it disturbs no other test using the machine's Redis. It is configured
 * as docker/compose.yaml runs production Redis: append-only file, fsync every second.
 */
export class PrivateRedis {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await mkdtemp(join(tmpdir(), 'faults-redis-')));
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

  /** A real restart: SHUTDOWN (the append-only file is flushed), down for `downMs`, started again. */
  async restart(downMs: number): Promise<void> {
    const child = this.child!;
    const exited = once(child, 'exit');
    await this.cli('shutdown').catch(() => undefined); // the connection drops as it exits
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
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
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
