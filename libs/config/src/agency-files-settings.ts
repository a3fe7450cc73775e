import { isAbsolute, resolve } from 'node:path';

/** What agency files may reach of the bridge's own environment and disk. */
export interface AgencyFilesSettings {
  /**
   * Names `${env:NAME}` may read besides those starting with {@link AGENCY_ENV_PREFIX}
   * (`BRIDGE_AGENCY_ENV_ALLOW`, comma-separated). Nothing else: a file must never reach the
   * bridge's own secrets (its key, its database password).
   */
  envAllow: ReadonlySet<string>;
  /**
   * Whether an agency file sent over the HTTP API may read `${env:...}` at all
   * (`BRIDGE_AGENCY_API_ENV=true`; default false): an API key must not turn into a way to
   * read the gateway's environment.
   */
  apiMayReadEnv: boolean;
  /**
   * Every folder an agency file names (CSV inbox, outbox, archive, failed, reject) must lie
   * below this directory (`BRIDGE_AGENCY_FILES_ROOT`, absolute; default `var` below the
   * working directory).
   */
  filesRoot: string;
}

/** The prefix of every variable an agency file may read. */
export const AGENCY_ENV_PREFIX = 'BRIDGE_AGENCY_';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads the settings; `problems` names each wrong variable (start-up refuses them). */
export function agencyFilesSettings(env: Record<string, string | undefined> = process.env): {
  settings: AgencyFilesSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const envAllow = new Set(
    (env.BRIDGE_AGENCY_ENV_ALLOW ?? '')
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean),
  );
  for (const name of envAllow)
    if (!ENV_NAME.test(name)) problems.push(`BRIDGE_AGENCY_ENV_ALLOW: "${name}" is not a variable name`);
  for (const name of ['BRIDGE_SECRET_KEY', 'DATABASE_URL', 'BRIDGE_BOOTSTRAP_ADMIN_KEY'])
    if (envAllow.has(name)) problems.push(`BRIDGE_AGENCY_ENV_ALLOW may not list the bridge's own ${name}`);
  const rawApi = (env.BRIDGE_AGENCY_API_ENV ?? 'false').trim().toLowerCase();
  if (rawApi !== 'true' && rawApi !== 'false')
    problems.push(`BRIDGE_AGENCY_API_ENV must be true or false, got "${rawApi}"`);
  const rawRoot = env.BRIDGE_AGENCY_FILES_ROOT?.trim();
  if (rawRoot !== undefined && (!isAbsolute(rawRoot) || resolve(rawRoot) === '/'))
    problems.push(`BRIDGE_AGENCY_FILES_ROOT must be an absolute directory other than /, got "${rawRoot}"`);
  return {
    settings: {
      envAllow,
      apiMayReadEnv: rawApi === 'true',
      filesRoot: resolve(rawRoot || 'var'),
    },
    problems,
  };
}
