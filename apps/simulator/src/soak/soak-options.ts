/** What one soak run does. */
export interface SoakOptions {
  /** Postal events published per second. */
  rate: number;
  /** How long events are published, in minutes. */
  minutes: number;
  /** Seconds between progress reports. */
  reportEverySeconds: number;
  /** REST agencies the dossiers are spread over. */
  agencies: number;
  /** Memory growth (MB per minute, linear fit over the last 2/3 of the run) that fails the run... */
  maxSlopeMbPerMinute: number;
  /** ...when the final RSS is also more than this many times the RSS after the warm-up. */
  maxGrowthFactor: number;
  /** Seconds to wait after the last event for every dossier to be received. */
  drainSeconds: number;
}

export const SOAK_DEFAULTS: SoakOptions = {
  rate: 20,
  minutes: 10,
  reportEverySeconds: 30,
  agencies: 4,
  maxSlopeMbPerMinute: 2,
  maxGrowthFactor: 1.5,
  drainSeconds: 60,
};

const FLAGS: Record<string, keyof SoakOptions> = {
  '--rate': 'rate',
  '--minutes': 'minutes',
  '--report-every': 'reportEverySeconds',
  '--agencies': 'agencies',
  '--max-slope': 'maxSlopeMbPerMinute',
  '--max-growth': 'maxGrowthFactor',
  '--drain': 'drainSeconds',
};

/** The usage text printed by `--help` and after a bad flag. */
export const SOAK_USAGE = `npm run soak -- [--rate 20] [--minutes 10] [--report-every 30] [--agencies 4]
                 [--max-slope 2] [--max-growth 1.5] [--drain 60]
  --rate          postal events per second (default 20)
  --minutes       how long to publish (default 10; 1 for a quick check)
  --report-every  seconds between reports (default 30)
  --agencies      REST agency simulators the dossiers are spread over (default 4)
  --max-slope     MB/min of RSS growth over the last 2/3 of the run that fails it (default 2)
  --max-growth    ...together with final RSS above this factor of the warmed-up RSS (default 1.5)
  --drain         seconds to wait for the last dossiers after publishing stops (default 60)
Exits 1 if any dossier is lost or memory grows steadily.`;

/** Parses `--flag value` / `--flag=value` pairs; throws naming the flag on anything wrong. */
export function parseSoakOptions(argv: string[]): SoakOptions {
  const options = { ...SOAK_DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const key = FLAGS[flag];
    if (!key) throw new Error(`unknown option ${flag}; expected one of ${Object.keys(FLAGS).join(', ')}`);
    const raw = inline ?? argv[++i];
    const value = Number(raw);
    if (raw === undefined || raw === '' || !Number.isFinite(value) || value <= 0)
      throw new Error(`${flag} needs a positive number, got ${raw === undefined ? 'nothing' : `"${raw}"`}`);
    options[key] = value;
  }
  if (!Number.isInteger(options.agencies))
    throw new Error(`--agencies must be a whole number, got ${options.agencies}`);
  if (options.maxGrowthFactor <= 1)
    throw new Error(`--max-growth must be above 1, got ${options.maxGrowthFactor}`);
  return options;
}
