import { judgeMemory, RssSample } from './memory-trend';
import { parseSoakOptions, SOAK_USAGE, SoakOptions } from './soak-options';
import { SoakLoad } from './soak-load';
import { SoakWorld } from './soak-world';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function latencyLine(latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  if (sorted.length === 0) return 'no dossier received';
  return `received ${sorted.length}, p50 ${quantile(sorted, 0.5)} ms, p99 ${quantile(sorted, 0.99)} ms`;
}

const clock = (ms: number) =>
  `${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/**
 * A bounded soak of a standalone bridge: publishes at a steady rate for the configured time,
 * reports latency (publish → dossier.received) and the bridge's RSS every report interval, then
 * checks that no dossier was lost or filed twice and that memory did not grow steadily.
 * Resolves with the exit code.
 */
async function soak(options: SoakOptions): Promise<number> {
  const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  process.stdout.write(
    `soak: ${options.rate} events/s for ${options.minutes} min over ${options.agencies} REST agencies\n`,
  );
  const world = await SoakWorld.start(options.agencies);
  const load = await SoakLoad.start(amqpUrl, world.namespace, world.codes);
  const samples: RssSample[] = [];
  const all: number[] = [];
  const runMs = options.minutes * 60_000;
  const started = Date.now();
  try {
    load.startPublishing(options.rate);
    let nextReport = options.reportEverySeconds * 1000;
    while (Date.now() - started < runMs) {
      await sleep(Math.min(5_000, started + runMs - Date.now()));
      const at = Date.now() - started;
      samples.push({ atMs: at, rssMb: world.rssMb() });
      if (at >= nextReport || at >= runMs) {
        nextReport += options.reportEverySeconds * 1000;
        const window = load.takeWindow();
        all.push(...window);
        process.stdout.write(
          `[${clock(at)}] published ${load.published.size}, ${latencyLine(window)}, bridge RSS ${samples[samples.length - 1].rssMb.toFixed(1)} MB\n`,
        );
      }
    }
    load.stopPublishing();
    const itemIds = () => [...load.published.keys()];
    const drainUntil = Date.now() + options.drainSeconds * 1000;
    while (load.receivedCount < load.published.size && Date.now() < drainUntil) await sleep(500);
    all.push(...load.takeWindow());

    const { byStatus, missing } = await world.tally(itemIds());
    const received = Object.entries(byStatus)
      .filter(([s]) => s !== 'collected' && s !== 'submitted')
      .reduce((n, [, c]) => n + c, 0);
    const stuck = load.published.size - missing - received;
    const duplicates = await world.duplicateFilings();
    const memory = judgeMemory(samples, runMs, options);
    process.stdout.write(
      [
        `soak done: published ${load.published.size} (publish failures ${load.publishFailures}), received ${received}, lost ${missing}, not received ${stuck}, filed twice ${duplicates}`,
        `latency publish → received over the run: ${latencyLine(all)}`,
        `memory: ${memory.reason}`,
      ].join('\n') + '\n',
    );
    const failures = [
      ...(missing > 0 ? [`${missing} dossier(s) lost`] : []),
      ...(stuck > 0 ? [`${stuck} dossier(s) not received within ${options.drainSeconds} s`] : []),
      ...(duplicates > 0 ? [`${duplicates} dossier(s) filed twice`] : []),
      ...(load.publishFailures > 0
        ? [`${load.publishFailures} publish(es) not confirmed by the broker`]
        : []),
      ...(memory.ok ? [] : [memory.reason]),
    ];
    process.stdout.write(failures.length ? `SOAK FAILED: ${failures.join('; ')}\n` : 'SOAK PASSED\n');
    return failures.length ? 1 : 0;
  } finally {
    await load.close();
    await world.stop();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${SOAK_USAGE}\n`);
    return;
  }
  let options: SoakOptions;
  try {
    options = parseSoakOptions(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${SOAK_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  process.exitCode = await soak(options);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `soak failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
