import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileExists } from './csv-file-writer';
import { writeNoFollow } from './no-follow-file';

/** A name in `folder` that nothing uses yet: `name`, else `name` with a time stamp inserted. */
export async function freeName(folder: string, name: string): Promise<string> {
  if (!(await fileExists(path.join(folder, name)))) return name;
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  for (let n = 0; ; n++) {
    const candidate = `${name}.${stamp}${n ? `-${n}` : ''}`;
    if (!(await fileExists(path.join(folder, candidate)))) return candidate;
  }
}

/**
 * Moves a file (and its done-file) into `folder`, creating the folder when needed. A file that
 * is already gone was moved by an earlier, interrupted commit: that is not an error. Returns
 * the name it got there, or null when it was gone.
 */
export async function moveInto(folder: string, file: string, doneFile?: string): Promise<string | null> {
  await fs.mkdir(folder, { recursive: true });
  const name = await freeName(folder, path.basename(file));
  let moved: string | null = name;
  try {
    await fs.rename(file, path.join(folder, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    moved = null;
  }
  // Only once the file is out of the outbox: a lost done-file must not strand a file there.
  if (doneFile) await fs.rm(doneFile, { force: true });
  return moved;
}

/** Writes a small text note beside a moved file (why it failed, why it was not applied). */
export async function writeNote(folder: string, name: string, text: string): Promise<void> {
  await fs.mkdir(folder, { recursive: true });
  await writeNoFollow(path.join(folder, name), `${text}\n`);
}
