/** What one `npm run bench` does; every figure can be changed on the command line. */
export interface BenchOptions {
  /** Events measured at 100 in flight (`--events`, default 2000). */
  events100: number;
  /** Events measured at 10 in flight (`--events10`, default a quarter of --events, at least 100). */
  events10: number;
  /** Warm-up events before each pipeline is measured (`--warmup`, default 200). */
  warmup: number;
  /** Rows of the CSV status file (`--csv-rows`, default 100000). */
  csvRows: number;
  /** SOAP calls timed per side, in alternating rounds of 500 (`--soap-calls`, default 10000). */
  soapCalls: number;
  /** Per-agency concurrency of the bridge's agencies (`--concurrency`, default 16). */
  concurrency: number;
  /** Parts to run (`--only floor,same-work,bridge,csv,soap`, default all). */
  parts: Set<BenchPart>;
  /** Start the bridge with `--cpu-prof` into bench-results/profiles (`--cpu-prof`). */
  cpuProfile: boolean;
  /**
   * Agencies registered for the scale step (`--agencies`, default 5000). Giving `--agencies`
   * without `--only` runs the scale step alone; its load is `--events` events each way.
   */
  agencies: number;
}

export type BenchPart = 'floor' | 'same-work' | 'bridge' | 'csv' | 'soap' | 'scale';
const PARTS: BenchPart[] = ['floor', 'same-work', 'bridge', 'csv', 'soap', 'scale'];
/** What a bench without `--only` runs (the scale step takes minutes: it runs when asked for). */
const DEFAULT_PARTS: BenchPart[] = ['floor', 'same-work', 'bridge', 'csv', 'soap'];

function positiveInt(flag: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!raw || !Number.isInteger(value) || value < 1)
    throw new Error(`${flag} needs a positive whole number, got "${raw ?? ''}"`);
  return value;
}

/** Parses `--name value` / `--name=value` flags; unknown flags are refused by name. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const values = new Map<string, string | undefined>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}" (flags start with --)`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (name === 'cpu-prof') values.set(name, 'true');
    else values.set(name, inline ?? argv[++i]);
  }
  const known = [
    'events',
    'events10',
    'warmup',
    'csv-rows',
    'soap-calls',
    'concurrency',
    'only',
    'cpu-prof',
    'agencies',
  ];
  for (const name of values.keys())
    if (!known.includes(name))
      throw new Error(`unknown flag --${name}; known: ${known.map((k) => `--${k}`).join(' ')}`);
  const num = (name: string, fallback: number) =>
    values.has(name) ? positiveInt(`--${name}`, values.get(name)) : fallback;
  const events100 = num('events', 2000);
  const parts = new Set<BenchPart>();
  const defaults = values.has('agencies') ? 'scale' : DEFAULT_PARTS.join(',');
  for (const part of (values.get('only') ?? defaults).split(',').map((p) => p.trim())) {
    if (!PARTS.includes(part as BenchPart))
      throw new Error(`--only takes ${PARTS.join(', ')}; got "${part}"`);
    parts.add(part as BenchPart);
  }
  return {
    events100,
    events10: num('events10', Math.max(100, Math.round(events100 / 4))),
    warmup: values.has('warmup') && values.get('warmup') === '0' ? 0 : num('warmup', 200),
    csvRows: num('csv-rows', 100_000),
    soapCalls: num('soap-calls', 10_000),
    concurrency: num('concurrency', 16),
    parts,
    cpuProfile: values.has('cpu-prof'),
    agencies: num('agencies', 5000),
  };
}
