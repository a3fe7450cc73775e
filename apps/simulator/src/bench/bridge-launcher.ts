import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { projectRoot } from './bench-fixtures';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A compiled bridge process (dist/apps/<role>/src/main.js) as production runs it. */
export class BridgeLauncher {
  private readonly output: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 400) this.output.splice(0, 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(
    role: 'standalone' | 'gateway' | 'worker',
    env: Record<string, string>,
    nodeArgs: string[] = [],
  ): Promise<BridgeLauncher> {
    const port = await freePort();
    const root = projectRoot();
    const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist', 'apps', role, 'src', 'main.js')], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bridge = new BridgeLauncher(child, port);
    await bridge.waitReady();
    return bridge;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`bridge exited with ${this.child.exitCode}:\n${this.log()}`);
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/health/ready`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`bridge not ready within ${timeoutMs} ms:\n${this.log()}`);
  }

  /** The last lines it printed (warnings and errors). */
  log(): string {
    return this.output.join('').slice(-4_000);
  }

  /** SIGTERM and wait for the drain (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = 45_000): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
