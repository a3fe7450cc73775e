/** A reference pipeline of the bench, run in a process of its own. */
export interface BenchPipeline {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Entry of a reference pipeline's process (spawned by the bench with its settings as JSON in the
 * variable `settingsVariable`): prints `ready` once consuming, stops on SIGTERM.
 */
export function runPipelineProcess<S>(
  name: string,
  settingsVariable: string,
  create: (settings: S) => BenchPipeline,
): void {
  const main = async () => {
    const raw = process.env[settingsVariable];
    if (!raw) throw new Error(`${settingsVariable} is not set: the ${name} process is started by the bench`);
    const pipeline = create(JSON.parse(raw) as S);
    await pipeline.start();
    process.stdout.write('ready\n');
    await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
    await pipeline.stop();
  };
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `${name} process failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
