import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isScalar, parseDocument, visit } from 'yaml';
import { normalizeDeep } from '@bridge/domain';
import { AgencyDocument } from './agency-file';
import { AgencyProblem } from './agency-problem';

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

/** Keys whose plain YAML values look like numbers but are codes (`province: 48`, `code: 1.001610`). */
const CODE_KEYS = new Set(['code', 'parent', 'province']);

/** Refused because the path is missing, not a YAML file, or outside a confining root. */
export class AgencyFileAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgencyFileAccessError';
  }
}

/** Where agency files are read from. */
export interface AgencyFileScope {
  /** Relative paths are read from here, and files are named relative to it (default: the working directory). */
  cwd?: string;
  /**
   * When set, anything that resolves outside this directory — `..`, absolute paths elsewhere,
   * symbolic links leading out — is refused. The operator's own command line reads any path
   * it names; a caller acting for someone else confines.
   */
  confineTo?: string;
}

/**
 * Reads one agency file, or every `*.yaml` / `*.yml` below a directory (recursively, in path
 * order). A file that is not YAML is refused, as is (with `confineTo`) anything outside the
 * root. A file that cannot be parsed is still returned, with its syntax problems (and lines).
 */
export async function loadAgencyFiles(
  pathOrDir: string,
  scope: AgencyFileScope = {},
): Promise<AgencyDocument[]> {
  const base = await realpath(resolve(scope.confineTo ?? scope.cwd ?? process.cwd()));
  const realRoot = scope.confineTo ? base : undefined;
  const target = await within(isAbsolute(pathOrDir) ? pathOrDir : resolve(base, pathOrDir), realRoot);
  const info = await stat(target);
  const files = info.isDirectory() ? await yamlFilesUnder(target, realRoot) : [target];
  if (!info.isDirectory() && !YAML_EXTENSIONS.has(extname(target).toLowerCase())) {
    throw new AgencyFileAccessError(`${pathOrDir} is not an agency file (*.yaml or *.yml)`);
  }
  const docs: AgencyDocument[] = [];
  for (const file of files) {
    const name = relative(base, file);
    docs.push(parseAgencyYaml(name && !name.startsWith('..') ? name : file, await readFile(file, 'utf8')));
  }
  return docs;
}

/**
 * Parses the text of one agency file. Codes written as plain scalars keep their exact spelling
 * (YAML would read `1.001610` as the number 1.00161 and a status key `01` as 1), and every string
 * is NFC-normalised so that Vietnamese names compare equal however they were typed.
 */
export function parseAgencyYaml(file: string, source: string): AgencyDocument {
  const doc = parseDocument(source, { keepSourceTokens: true, uniqueKeys: true });
  const problems: AgencyProblem[] = doc.errors.map((error) => {
    const at = error.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}` : 'unknown line';
    // yaml repeats the position and a source excerpt in its message; keep the first sentence.
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { file, path: '$', message: `YAML syntax error at ${where}: ${what}` };
  });
  if (problems.length > 0) return { file, data: undefined, problems };

  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'number') pair.key.value = plainSource(pair.key);
      if (
        isScalar(pair.key) &&
        CODE_KEYS.has(String(pair.key.value)) &&
        isScalar(pair.value) &&
        typeof pair.value.value === 'number'
      ) {
        pair.value.value = plainSource(pair.value);
      }
    },
  });
  return { file, data: normalizeDeep(doc.toJS() as unknown), problems: [] };
}

function plainSource(node: { value: unknown; srcToken?: unknown }): string {
  const token = node.srcToken as { type?: string; source?: string } | undefined;
  return token?.type === 'scalar' && typeof token.source === 'string' ? token.source : String(node.value);
}

/** The real path of `path`, refused when `realRoot` is given and it lies outside. */
async function within(path: string, realRoot: string | undefined): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw new AgencyFileAccessError(`${path} does not exist`);
  }
  if (realRoot !== undefined && real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new AgencyFileAccessError(`${path} is outside the agency configuration root ${realRoot}`);
  }
  return real;
}

async function yamlFilesUnder(dir: string, realRoot: string | undefined): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = await within(join(dir, entry.name), realRoot);
    const info = await stat(path);
    if (info.isDirectory()) found.push(...(await yamlFilesUnder(path, realRoot)));
    else if (YAML_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
  }
  return found;
}
