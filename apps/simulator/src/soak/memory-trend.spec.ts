import { judgeMemory, linearSlope, RssSample } from './memory-trend';
import { parseSoakOptions } from './soak-options';

const LIMITS = { maxSlopeMbPerMinute: 2, maxGrowthFactor: 1.5 };

/** One sample every 30 s over `minutes`, RSS given by `rss(minute)`. */
function run(minutes: number, rss: (minute: number) => number): { samples: RssSample[]; runMs: number } {
  const samples: RssSample[] = [];
  for (let t = 0; t <= minutes * 60_000; t += 30_000) samples.push({ atMs: t, rssMb: rss(t / 60_000) });
  return { samples, runMs: minutes * 60_000 };
}

describe('soak memory verdict', () => {
  it('fits a straight line exactly', () => {
    expect(linearSlope([0, 1, 2, 3].map((x) => ({ x, y: 5 + 3 * x })))).toBeCloseTo(3);
  });

  it('passes a process that warms up then stays flat', () => {
    const { samples, runMs } = run(10, (m) => (m < 2 ? 120 + 20 * m : 160 + Math.sin(m * 7) * 3));
    const verdict = judgeMemory(samples, runMs, LIMITS);
    expect(verdict.ok).toBe(true);
    expect(Math.abs(verdict.slopeMbPerMinute)).toBeLessThan(2);
  });

  it('fails a process that leaks 15 MB a minute', () => {
    const { samples, runMs } = run(10, (m) => 150 + 15 * m);
    const verdict = judgeMemory(samples, runMs, LIMITS);
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(/grows steadily/);
    expect(verdict.slopeMbPerMinute).toBeCloseTo(15);
  });

  it('passes a slow drift that stays under the growth factor', () => {
    const { samples, runMs } = run(10, (m) => 300 + 3 * m);
    expect(judgeMemory(samples, runMs, LIMITS).ok).toBe(true);
  });

  it('refuses to judge without enough samples', () => {
    expect(() => judgeMemory([{ atMs: 0, rssMb: 1 }], 60_000, LIMITS)).toThrow(/at least 3/);
  });
});

describe('soak options', () => {
  it('reads --rate and --minutes, keeps the other defaults', () => {
    expect(parseSoakOptions(['--rate', '5', '--minutes=1'])).toMatchObject({
      rate: 5,
      minutes: 1,
      reportEverySeconds: 30,
    });
  });

  it('names the flag that is wrong', () => {
    expect(() => parseSoakOptions(['--rate', 'fast'])).toThrow(/--rate needs a positive number, got "fast"/);
    expect(() => parseSoakOptions(['--speed', '3'])).toThrow(/unknown option --speed/);
  });
});
