import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
function cpuMsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces) start at ") ": utime is 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Every PostgreSQL server process on this machine (backends, WAL writer, checkpointer...). */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU used between `start` and `stop`, per dossier. */
export interface CpuPerDossier {
  processMs: number;
  postgresMs: number;
}

/**
 * Measures the CPU a process and the PostgreSQL server spend over a window, from /proc (Linux):
 * the process's own utime + stime, and those of every postgres process (backends that end in
 * the window are not counted: the bridge's pool keeps its connections). Divided by the dossiers
 * of the window, it is the CPU each dossier costs.
 */
export class CpuMeter {
  private processStart = 0;
  private postgresStart = new Map<number, number>();

  constructor(private readonly pid: number) {}

  start(): void {
    this.processStart = cpuMsOf(this.pid);
    this.postgresStart = new Map(postgresPids().map((pid) => [pid, cpuMsOf(pid)]));
  }

  stop(dossiers: number): CpuPerDossier {
    const processMs = cpuMsOf(this.pid) - this.processStart;
    let postgresMs = 0;
    for (const pid of postgresPids()) postgresMs += cpuMsOf(pid) - (this.postgresStart.get(pid) ?? 0);
    const per = (ms: number) => Math.round((ms / Math.max(1, dossiers)) * 100) / 100;
    return { processMs: per(processMs), postgresMs: per(postgresMs) };
  }
}
