import { BenchCheck, check } from './bench-report';
import { round } from './latency-stats';
import type { ScaleFigures } from './scale-scenario';

/** The targets for a bridge with thousands of agencies registered, judged on the figures. */
export function scaleChecks(s: ScaleFigures): BenchCheck[] {
  const n = s.agencies;
  return [
    check(`Redis connections, idle, ${n} agencies`, s.idle.redisConnections, '<= 20', (v) => v <= 20),
    check(`Redis connections, under load`, s.load.redisConnections, '<= 20', (v) => v <= 20),
    check(`Redis commands/s, idle`, s.idle.redisCommandsPerSecond, '<= 200', (v) => v <= 200),
    check(`RSS MB, idle`, s.idle.rssMb, '<= 300', (v) => v <= 300),
    check(`start-up s`, s.startupS, '<= 10', (v) => v <= 10),
    check(`operations overview ms`, s.overviewMs, '<= 1000', (v) => v <= 1000),
    check(
      `throughput ${n} / 5 agencies`,
      s.spread.eventsPerSecond / s.five.eventsPerSecond,
      '>= 0.9',
      (v) => v >= 0.9,
    ),
  ];
}

/** The scale step as a table: the process at rest and under load, then the two loads. */
export function renderScaleTable(s: ScaleFigures, checks: BenchCheck[]): string {
  const row = (cells: Array<string | number>) => cells.map((c) => String(c).padEnd(14)).join(' ');
  const cost = (name: string, c: ScaleFigures['idle']) =>
    row([
      name,
      c.redisConnections,
      round(c.redisCommandsPerSecond, 1),
      round(c.rssMb, 1),
      round(c.cpuPercent, 1),
    ]);
  const load = (name: string, l: ScaleFigures['five']) =>
    row([name, l.events, round(l.eventsPerSecond, 1), l.p50Ms, l.p99Ms]);
  return [
    `${s.agencies} agencies registered; start until ready ${round(s.startupS, 1)} s; operations overview ${round(s.overviewMs, 0)} ms`,
    row(['process', 'redis conns', 'redis cmd/s', 'RSS MB', 'CPU %']),
    cost('idle', s.idle),
    cost('under load', s.load),
    '',
    row(['load', 'events', 'events/s', 'p50 ms', 'p99 ms']),
    load('5 agencies', s.five),
    load(`${s.agencies} agencies`, s.spread),
    '',
    row(['target', 'value', 'goal', 'verdict']),
    ...checks.map((c) => row([c.name, c.value, c.target, c.verdict])),
  ].join('\n');
}
