import { benchChecks } from './bench-report';
import { CpuMeter } from './cpu-meter';
import { LatencySummary } from './latency-stats';

const level = (inFlight: number, eventsPerSecond: number, p50Ms: number, cpu?: number): LatencySummary => ({
  events: 1000,
  inFlight,
  eventsPerSecond,
  p50Ms,
  p99Ms: p50Ms * 2,
  maxMs: p50Ms * 3,
  cpuMsPerEvent: cpu,
});

describe('the bench verdicts', () => {
  it('judges the bridge against the same-work pipeline and the floor', () => {
    const checks = benchChecks({
      startedAt: '',
      machine: { cpus: 2, node: 'v20' },
      floor: { levels: [level(10, 400, 20), level(100, 1000, 80)], peakMb: 100 },
      sameWork: { levels: [level(10, 200, 40), level(100, 500, 150, 0.5)], peakMb: 120 },
      bridge: { levels: [level(10, 150, 70), level(100, 420, 200, 0.8)], peakMb: 250 },
    });
    const verdict = (name: string) => checks.find((c) => c.name === name);
    expect(verdict('bridge/same-work throughput @100')).toMatchObject({ value: 0.84, verdict: 'PASS' });
    expect(verdict('bridge/same-work p50 @10')).toMatchObject({ value: 1.75, verdict: 'MISS' });
    expect(verdict('bridge/floor p50 @10')).toMatchObject({ value: 3.5, verdict: 'MISS' });
    expect(verdict('bridge CPU ms per dossier @100')).toMatchObject({ value: 0.8, verdict: 'PASS' });
    expect(verdict('bridge/same-work CPU @100')).toMatchObject({ value: 1.6, verdict: 'MISS' });
    expect(verdict('CSV 100k rows applied, s')).toMatchObject({ verdict: 'n/a' });
    expect(checks[0].name).toBe('bridge/floor throughput @100');
  });

  it('measures the CPU a process spends per event from /proc', () => {
    const meter = new CpuMeter(process.pid);
    const before = process.cpuUsage();
    meter.start();
    // Spin until this process has used 300 ms of CPU, however loaded the machine is.
    let spin = 0;
    while (process.cpuUsage(before).user < 300_000) spin++;
    const used = meter.stop(10);
    const spentMs = (process.cpuUsage(before).user + process.cpuUsage(before).system) / 1000;
    expect(spin).toBeGreaterThan(0);
    // Per event: a tenth of what the process spent, within the 10 ms clock tick of /proc.
    expect(used.processMs).toBeGreaterThanOrEqual(spentMs / 10 - 2);
    expect(used.processMs).toBeLessThanOrEqual(spentMs / 10 + 2);
  });
});
