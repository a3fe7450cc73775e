import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { AGENCY_ENV_PREFIX, AgencyFilesSettings } from '@bridge/config';
import { jsonPath } from './agency-problem';
import { PathProblem } from './schema-problems';

/** What an agency file being applied may reach, and whether it came over the HTTP API. */
export interface AgencyFileAccess {
  settings: AgencyFilesSettings;
  /** Sent over `PUT`/`POST /api/v1/agencies`: `${env:...}` only when the operator allows it. */
  viaApi: boolean;
}

/**
 * Why an agency file may not read environment variable `name`, or null when it may. Only
 * `BRIDGE_AGENCY_*` names and the operator's allow-list are readable, and over the HTTP API
 * none unless `BRIDGE_AGENCY_API_ENV=true`: otherwise `${env:BRIDGE_SECRET_KEY}` with an
 * endpoint of one's own would send the bridge's master key out.
 */
export function envRefusal(name: string, access: AgencyFileAccess): string | null {
  if (access.viaApi && !access.settings.apiMayReadEnv)
    return `agency files sent over the HTTP API may not read environment variables (\${env:${name}}); apply the file with the CLI, or set BRIDGE_AGENCY_API_ENV=true`;
  if (name.startsWith(AGENCY_ENV_PREFIX) || access.settings.envAllow.has(name)) return null;
  return `environment variable ${name} may not be read by agency files: only ${AGENCY_ENV_PREFIX}* names and those listed in BRIDGE_AGENCY_ENV_ALLOW`;
}

/**
 * Every folder an adapter's options name (keys ending in `Dir`, at any depth) that lies
 * outside the agency files root, followed through symbolic links where it exists already.
 * Relative folders are read from the working directory, as the adapters read them.
 */
export function folderProblems(options: unknown, access: AgencyFileAccess): PathProblem[] {
  const root = realOrSelf(access.settings.filesRoot);
  const problems: PathProblem[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      if (typeof value === 'string' && key.endsWith('Dir')) {
        const folder = realOrSelf(resolve(value));
        const rel = relative(root, folder);
        if (rel.startsWith('..') || isAbsolute(rel))
          problems.push({
            path: jsonPath(here),
            message: `folder ${value} lies outside the agency files root ${root} (BRIDGE_AGENCY_FILES_ROOT)`,
          });
      } else walk(value, here);
    }
  };
  walk(options, ['adapter', 'options']);
  return problems;
}

/** The real path of `path` (links followed) when it exists; the path itself otherwise. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
