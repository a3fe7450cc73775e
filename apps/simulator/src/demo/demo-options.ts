import { join } from 'node:path';

/** What a demo run does; every field has a flag (see {@link DEMO_USAGE}). */
export interface DemoOptions {
  dossiers: number;
  /** Dossiers started per second. */
  rate: number;
  /** How long the agency chosen for the outage stays down. */
  outageMs: number;
  /** After the last dossier started, how long to wait for every dossier to finish. */
  deadlineMs: number;
  keep: boolean;
  port: number;
  namespace: string;
  databaseUrl: string;
  config: string;
  seed: number;
}

export const DEMO_USAGE = `Usage: npm run demo -- [options]

Runs the Đà Nẵng pilot end to end: a fresh bridge, one simulated agency per agency file,
a simulated postal backend, and several hundred dossiers through their whole lives.

  --dossiers N        dossiers to run (default 300)
  --rate N            dossiers started per second (default 3)
  --outage-ms N       how long one agency is down, so its circuit opens and closes (default 15000)
  --deadline-ms N     wait this long after the last start for every dossier to finish (default 120000)
  --keep              leave everything running for a person to explore, until Ctrl-C
  --port N            the bridge's HTTP port (default 31080)
  --namespace NAME    BRIDGE_NAMESPACE of the demo (default demo)
  --database-url URL  the demo's database, reset at every run
                      (default postgres://postgres@127.0.0.1:5432/bridge_demo)
  --config DIR        agency files to apply and simulate (default config/agencies/danang)
  --seed N            seed of the random choices (default: the current time)
  --help              this text`;

/** Thrown for a flag the demo cannot use; the message names it. */
export class DemoUsageError extends Error {}

const NUMERIC: Record<string, keyof DemoOptions> = {
  '--dossiers': 'dossiers',
  '--rate': 'rate',
  '--outage-ms': 'outageMs',
  '--deadline-ms': 'deadlineMs',
  '--port': 'port',
  '--seed': 'seed',
};
const TEXT: Record<string, keyof DemoOptions> = {
  '--namespace': 'namespace',
  '--database-url': 'databaseUrl',
  '--config': 'config',
};

/** Reads the demo's flags; null when `--help` was asked for. */
export function parseDemoArgs(argv: readonly string[]): DemoOptions | null {
  const options: DemoOptions = {
    dossiers: 300,
    rate: 3,
    outageMs: 15_000,
    deadlineMs: 120_000,
    keep: false,
    port: 47_080,
    namespace: 'demo',
    databaseUrl: process.env.DEMO_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bridge_demo',
    config: join('config', 'agencies', 'danang'),
    seed: Date.now() % 1_000_000,
  };
  const values = options as unknown as Record<string, unknown>;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') return null;
    if (flag === '--keep') {
      options.keep = true;
      continue;
    }
    const field = NUMERIC[flag] ?? TEXT[flag];
    if (!field) throw new DemoUsageError(`unknown option ${flag} (see --help)`);
    const value = argv[++i];
    if (value === undefined) throw new DemoUsageError(`${flag} needs a value`);
    if (NUMERIC[flag]) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || (flag !== '--seed' && n === 0 && flag !== '--outage-ms'))
        throw new DemoUsageError(`${flag} must be a positive number, got "${value}"`);
      values[field] = n;
    } else {
      values[field] = value;
    }
  }
  if (!Number.isInteger(options.dossiers)) throw new DemoUsageError('--dossiers must be a whole number');
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(options.namespace))
    throw new DemoUsageError(
      `--namespace may hold only lower-case letters, digits, '-' and '_', got "${options.namespace}"`,
    );
  return options;
}
