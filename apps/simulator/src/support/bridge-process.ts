import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { OutputTail, stopChild } from './child-exit';
import { projectRoot } from './project-root';

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** How a bridge process is started. */
export interface BridgeProcessOptions {
  role: 'gateway' | 'worker' | 'standalone';
  /** Its environment, over this process's (LOG_LEVEL defaults to warn; PORT to a free port). */
  env: Record<string, string>;
  /** Waits for /health/ready to answer 200 (default true). */
  waitReady?: boolean;
  /** Arguments for node before the script (e.g. `--max-old-space-size=256`). */
  nodeArgs?: string[];
}

/**
 * A real bridge process (the compiled app dist/apps/<role>/src/main.js, as production runs it),
 * with its output kept for diagnosis when a run fails.
 */
export class BridgeProcess {
  private readonly tail: OutputTail;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.tail = new OutputTail(child, 2_000);
  }

  static async start(options: BridgeProcessOptions): Promise<BridgeProcess> {
    const port = Number(options.env.PORT ?? (await freePort()));
    const root = projectRoot();
    const main = join(root, 'dist', 'apps', options.role, 'src', 'main.js');
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bridge = new BridgeProcess(child, port);
    if (options.waitReady ?? true) {
      try {
        await bridge.waitReady();
      } catch (error) {
        // Nobody gets a handle on a process that never became ready: stop it here, not never.
        await bridge.kill().catch(() => undefined);
        throw error;
      }
    }
    return bridge;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** What it printed so far (the latest chunks). */
  get output(): string[] {
    return this.tail.lines;
  }

  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`bridge exited with ${this.child.exitCode}:\n${this.log()}`);
      try {
        const response = await fetch(`${this.url}/health/ready`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`bridge not ready within ${timeoutMs} ms:\n${this.log()}`);
  }

  /** SIGTERM and wait for the drain (SIGKILL after `timeoutMs`); resolves with the exit code. */
  async stop(timeoutMs = 45_000): Promise<number | null> {
    return stopChild(this.child, timeoutMs);
  }

  /** SIGKILL: the process dies at once, wherever it is. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  /** The last characters it printed (warnings and errors). */
  log(chars = 6_000): string {
    return this.tail.text(chars);
  }
}
