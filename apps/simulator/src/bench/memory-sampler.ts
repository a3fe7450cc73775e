import { readFileSync } from 'node:fs';

/** Peak memory of one process, in MB. */
export interface MemoryPeak {
  /** Highest RSS seen by polling. */
  peakRssMb: number;
  /** The kernel's own high-water mark (VmHWM) at the last sample: the true peak. */
  hwmMb: number;
}

function readStatus(pid: number): { rssKb: number; hwmKb: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return null; // the process ended
  }
}

/**
 * Polls /proc/<pid>/status of the measured processes every `intervalMs` (200 ms by default)
 * and keeps, for each, the highest RSS seen and the kernel's VmHWM. Linux only.
 */
export class MemorySampler {
  private readonly peaks = new Map<string, { pid: number; rssKb: number; hwmKb: number }>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly intervalMs = 200) {}

  /** Starts watching a process under `label`. */
  watch(label: string, pid: number): void {
    this.peaks.set(label, { pid, rssKb: 0, hwmKb: 0 });
    this.sample();
    if (!this.timer) {
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Samples now (call it once more just before a process is stopped). */
  sample(): void {
    for (const peak of this.peaks.values()) {
      const status = readStatus(peak.pid);
      if (!status) continue;
      peak.rssKb = Math.max(peak.rssKb, status.rssKb);
      peak.hwmKb = Math.max(peak.hwmKb, status.hwmKb);
    }
  }

  /** The peaks of a watched process so far. */
  peakOf(label: string): MemoryPeak {
    const peak = this.peaks.get(label);
    if (!peak) throw new Error(`no process is watched under "${label}"`);
    return { peakRssMb: Math.round(peak.rssKb / 102.4) / 10, hwmMb: Math.round(peak.hwmKb / 102.4) / 10 };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
