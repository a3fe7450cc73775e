import { ChildProcess, spawn } from 'node:child_process';
import { OutputTail, stopChild } from '../support';

/** A node child process of the bench that says `ready` on stdout when it can take load. */
export class BenchChild {
  private readonly tail: OutputTail;

  private constructor(readonly child: ChildProcess) {
    this.tail = new OutputTail(child, 200);
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
    return this.tail.text(4_000);
  }

  /** SIGTERM, SIGKILL after `timeoutMs`; resolves once it has exited. */
  async stop(timeoutMs = 15_000): Promise<void> {
    await stopChild(this.child, timeoutMs);
  }
}
