import { promises as fs } from 'node:fs';
import type { Redis } from 'ioredis';

/** What one process costs over a window. */
export interface ProcessCost {
  /** Redis connections the process holds (its sockets, matched against CLIENT LIST). */
  redisConnections: number;
  /** Commands Redis processed per second over the window (a private Redis: only the bridge's). */
  redisCommandsPerSecond: number;
  rssMb: number;
  /** Share of one core the process used over the window, in %. */
  cpuPercent: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

async function cpuSeconds(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
}

async function rssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** Local ports of the process's TCP sockets connected to `remotePort` (from /proc). */
async function localPortsTo(pid: number, remotePort: number): Promise<Set<number>> {
  const inodes = new Set<string>();
  for (const fd of await fs.readdir(`/proc/${pid}/fd`).catch(() => [])) {
    const target = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await fs.readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || !inodes.has(cols[9])) continue;
      const [, local] = cols[1].split(':');
      const [, remote] = cols[2].split(':');
      if (parseInt(remote, 16) === remotePort) ports.add(parseInt(local, 16));
    }
  }
  return ports;
}

/** Connections of the process that Redis lists (CLIENT LIST), by the client's port. */
async function redisConnectionsOf(pid: number, redis: Redis, redisPort: number): Promise<number> {
  const ports = await localPortsTo(pid, redisPort);
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => ports.has(Number(/\baddr=\S+:(\d+)/.exec(line)?.[1] ?? -1)))
    .length;
}

async function totalCommands(redis: Redis): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/**
 * Measures the process over `windowMs`: CPU and Redis commands as deltas, connections and RSS
 * at the end. `redis` is the bench's own connection to the same Redis (its few commands are
 * subtracted).
 */
export async function measureProcess(
  pid: number,
  redis: Redis,
  redisPort: number,
  windowMs: number,
): Promise<ProcessCost> {
  const [cpu0, cmd0] = [await cpuSeconds(pid), await totalCommands(redis)];
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const [cpu1, cmd1] = [await cpuSeconds(pid), await totalCommands(redis)];
  const seconds = (performance.now() - t0) / 1000;
  return {
    redisConnections: await redisConnectionsOf(pid, redis, redisPort),
    // One INFO of ours lies between the two readings.
    redisCommandsPerSecond: Math.max(0, cmd1 - cmd0 - 1) / seconds,
    rssMb: await rssMb(pid),
    cpuPercent: ((cpu1 - cpu0) / seconds) * 100,
  };
}
