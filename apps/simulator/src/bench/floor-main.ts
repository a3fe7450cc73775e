import { FloorPipeline, FloorSettings } from './floor-pipeline';

/**
 * Entry of the floor process (spawned by the bench with its settings as JSON in
 * BENCH_FLOOR_SETTINGS): prints `ready` once consuming, stops on SIGTERM.
 */
async function main(): Promise<void> {
  const raw = process.env.BENCH_FLOOR_SETTINGS;
  if (!raw) throw new Error('BENCH_FLOOR_SETTINGS is not set: the floor process is started by the bench');
  const floor = new FloorPipeline(JSON.parse(raw) as FloorSettings);
  await floor.start();
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  await floor.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`floor process failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
