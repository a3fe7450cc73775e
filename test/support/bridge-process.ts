import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

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

export interface BridgeProcessOptions {
  role: 'gateway' | 'worker' | 'standalone';
  env: Record<string, string>;
  /** Waits for /health/ready to answer 200 (default true). */
  waitReady?: boolean;
}

/**
 * A real bridge process (the compiled app, as production runs it), with its output kept for
 * diagnosis when a test fails.
 */
export class BridgeProcess {
  readonly output: string[] = [];
  private exited?: Promise<number | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  static async start(options: BridgeProcessOptions): Promise<BridgeProcess> {
    const port = Number(options.env.PORT ?? (await freePort()));
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', options.role, 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bridge = new BridgeProcess(child, port);
    if (options.waitReady ?? true) await bridge.waitReady();
    return bridge;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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

  /** SIGTERM and wait for the drain; resolves with the exit code. */
  async stop(timeoutMs = 45_000): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited!;
    clearTimeout(timer);
    return code;
  }

  /** SIGKILL: the process dies at once, wherever it is. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  log(): string {
    return this.output.join('').slice(-6_000);
  }

  private keep(chunk: Buffer): void {
    this.output.push(chunk.toString('utf8'));
    if (this.output.length > 2_000) this.output.splice(0, 1_000);
  }
}
