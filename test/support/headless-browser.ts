import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';

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

/** A Chromium on the PATH, when the machine has one (faster to start than unpacking the npm build). */
function systemChromium(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser'])
    for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * Launches headless Chromium for the dashboard tests: the system's when present, otherwise the
 * build that `@sparticuz/chromium` ships inside its npm package, so `npm ci && npm test` needs no
 * browser installed on the machine and downloads nothing.
 */
export async function launchHeadlessBrowser(): Promise<Browser> {
  const system = process.env.BRIDGE_TEST_CHROMIUM ?? systemChromium();
  if (system) return chromium.launch({ executablePath: system, args: QUIET_FLAGS });
  // Loaded only here: the package unpacks its browser into the temp folder on first use.
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  return chromium.launch({ executablePath, args: [...packaged.args, ...QUIET_FLAGS] });
}

/**
 * A Vietnamese-locale page of `browser` whose script errors are collected: a test calls
 * `takeErrors()` after each step, so an error on the page fails the step it happened in.
 */
export async function openWatchedPage(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<{ page: Page; takeErrors: () => string[] }> {
  const errors: string[] = [];
  const page = await browser.newPage({ viewport, locale: 'vi-VN' });
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, takeErrors: () => errors.splice(0) };
}
