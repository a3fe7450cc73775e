import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A node child process of the bench that says `ready` on stdout when it can take load. */
export class BenchChild {
  private readonly output: string[] = [];

  private constructor(readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 200) this.output.splice(0, 100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async start(script: string, env: Record<string, string>, timeoutMs = 30_000): Promise<BenchChild> {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new BenchChild(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${script} not ready in ${timeoutMs} ms:\n${started.log()}`)),
        timeoutMs,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${script} exited with ${code}:\n${started.log()}`));
      });
    });
    return started;
  }

  get pid(): number {
    return this.child.pid!;
  }

  log(): string {
    return this.output.join('').slice(-4_000);
  }

  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
