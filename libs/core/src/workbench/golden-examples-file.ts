import { readFile, stat, writeFile } from 'node:fs/promises';
import { GoldenExample, GoldenExamplesFile } from './golden-examples';

/** A golden examples file larger than this is refused rather than read. */
export const MAX_EXAMPLES_FILE_BYTES = 5 * 1024 * 1024;

/** Where the golden examples of an agency file live: beside it. */
export function examplesPathFor(agencyFile: string): string {
  return `${agencyFile}.examples.json`;
}

/** Writes the examples beside the agency file; returns the path written. */
export async function writeGoldenExamples(agencyFile: string, content: GoldenExamplesFile): Promise<string> {
  const path = examplesPathFor(agencyFile);
  await writeFile(path, `${JSON.stringify(content, null, 2)}\n`, 'utf8');
  return path;
}

/**
 * Reads the examples beside an agency file: undefined when there are none; an Error naming
 * the problem when the file is too large or not the shape `agencies diff --record-examples`
 * writes (so a damaged file is never taken for "no examples").
 */
export async function readGoldenExamples(agencyFile: string): Promise<GoldenExamplesFile | undefined> {
  const path = examplesPathFor(agencyFile);
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (!info.isFile() || info.size > MAX_EXAMPLES_FILE_BYTES) {
    throw new Error(`${path} is not a file of at most ${MAX_EXAMPLES_FILE_BYTES} bytes`);
  }
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
  const file = data as Partial<GoldenExamplesFile>;
  if (!file || typeof file.agencyCode !== 'string' || !Array.isArray(file.examples)) {
    throw new Error(`${path} must hold { agencyCode, recordedAt, examples: [...] }`);
  }
  file.examples.forEach((example, i) => {
    if (!isExample(example)) throw new Error(`${path}: example #${i + 1} lacks its mapping or message`);
  });
  return file as GoldenExamplesFile;
}

function isExample(value: unknown): value is GoldenExample {
  const e = value as Partial<GoldenExample> | null;
  const m = e?.message;
  return (
    !!e &&
    typeof e.mapping === 'string' &&
    !!m &&
    typeof m.direction === 'string' &&
    typeof m.operation === 'string' &&
    typeof m.body === 'string' &&
    (m.status === null || m.status === undefined || typeof m.status === 'string') &&
    (e.dossier === undefined || (typeof e.dossier === 'object' && typeof e.dossier?.id === 'string'))
  );
}
