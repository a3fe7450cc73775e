import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** Flags that keep Chromium quiet on a machine with no outside network and no display. */
const QUIET_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A system Chromium, when the machine has one (faster to start than unpacking the npm build). */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * Launches headless Chromium for the dashboard tests: the system's when present, otherwise the
 * build that `@sparticuz/chromium` ships inside its npm package, so `npm ci && npm test` needs no
 * browser installed on the machine and downloads nothing.
 */
export async function launchHeadlessBrowser(): Promise<Browser> {
  const system = process.env.BRIDGE_TEST_CHROMIUM ?? SYSTEM_CHROMIUM.find((file) => existsSync(file));
  if (system) return chromium.launch({ executablePath: system, args: QUIET_FLAGS });
  // Loaded only here: the package unpacks its browser into the temp folder on first use.
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  return chromium.launch({ executablePath, args: [...packaged.args, ...QUIET_FLAGS] });
}
