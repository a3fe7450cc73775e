import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (where bin/bridge.js lives). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
/**
 * What runs: `bin/bridge.js` (the compiled CLI in dist/), or the compiled main.js named by
 * BRIDGE_CLI_MAIN, to test a build kept elsewhere.
 */
const ENTRY = process.env.BRIDGE_CLI_MAIN ?? join(REPO_ROOT, 'bin', 'bridge.js');
const BUILT_MAIN = process.env.BRIDGE_CLI_MAIN ?? join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

/** What one run of the `bridge` command did. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}: extra environment (merged over the test's) and working directory. */
export interface CliRunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
}

/** Throws with the fix when the CLI has not been compiled (`npm test` builds it first). */
export function assertCliBuilt(): void {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run \`npm run build\` first`);
}

/** Runs the built `bridge` command as a real process and collects its exit code and output. */
export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((done) => {
    execFile(
      process.execPath,
      [ENTRY, ...args],
      {
        cwd: options.cwd ?? REPO_ROOT,
        env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 10 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
