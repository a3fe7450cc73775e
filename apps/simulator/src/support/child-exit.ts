import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * SIGTERM, then SIGKILL if the child is still there after `timeoutMs`; resolves with its exit
 * code (null when a signal ended it) once it has exited.
 */
export async function stopChild(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit') as Promise<[number | null]>;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const [code] = await exited;
    return code;
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the last chunks a child wrote on stdout and stderr, for a failure report. */
export class OutputTail {
  private readonly chunks: string[] = [];

  /** @param limit chunks kept; when exceeded the older half is dropped. */
  constructor(
    child: ChildProcess,
    private readonly limit: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
  }

  /** Every kept chunk, oldest first. */
  get lines(): string[] {
    return this.chunks;
  }

  /** The last `chars` characters written. */
  text(chars: number): string {
    return this.chunks.join('').slice(-chars);
  }

  private keep(chunk: Buffer): void {
    this.chunks.push(chunk.toString('utf8'));
    if (this.chunks.length > this.limit) this.chunks.splice(0, this.limit / 2);
  }
}
