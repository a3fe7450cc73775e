import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PinnedFile } from './no-follow-file';
import { escapesFolder, isHiddenOrTemporary, unsafeFileNameReason } from './safe-folder';

/** A status file the agency finished writing (a regular file, pinned by its identity). */
export interface CompleteFile extends PinnedFile {
  name: string;
  path: string;
  size: number;
  mtimeMs: number;
  /** The done-file that marks it complete, moved along with it. */
  doneFile?: string;
}

/** A file in the outbox the bridge will not read, and why. */
export interface RefusedFile {
  name: string;
  path: string;
  reason: string;
}

export interface ScanOptions {
  pattern: RegExp;
  doneFileSuffix?: string;
  stableMs: number;
  now?: number;
}

/**
 * Lists the outbox: complete status files, oldest first, and files refused outright (unsafe
 * names, symlinks leaving the folder). Hidden and temporary files, done-files, folders and
 * files still being written are left alone. A file counts as complete when its done-file
 * exists, or — without done-files — when it has not changed for `stableMs`.
 */
export async function scanOutbox(
  folder: string,
  options: ScanOptions,
): Promise<{ complete: CompleteFile[]; refused: RefusedFile[] }> {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  const now = options.now ?? Date.now();
  const complete: CompleteFile[] = [];
  const refused: RefusedFile[] = [];
  for (const entry of entries) {
    const name = entry.name;
    if (isHiddenOrTemporary(name) || entry.isDirectory()) continue;
    if (options.doneFileSuffix && name.endsWith(options.doneFileSuffix)) continue;
    if (!options.pattern.test(name)) continue;
    const file = path.join(folder, name);
    const unsafe = unsafeFileNameReason(name);
    if (unsafe) {
      refused.push({ name, path: file, reason: unsafe });
      continue;
    }
    if (entry.isSymbolicLink()) {
      // Even a link that stays inside the folder is refused: what a link names can change
      // between this scan and the read; a regular file is pinned by its identity instead.
      const escape = await escapesFolder(folder, file);
      const reason = escape ?? 'a status file must be a regular file, not a link';
      refused.push({ name, path: file, reason: `symbolic link ${reason}` });
      continue;
    }
    let stat;
    try {
      stat = await fs.lstat(file);
    } catch {
      continue; // vanished between listing and stat: the agency moved it
    }
    if (!stat.isFile()) continue;
    const doneFile = options.doneFileSuffix ? `${name}${options.doneFileSuffix}` : undefined;
    if (doneFile && !names.has(doneFile)) continue;
    if (!doneFile && now - stat.mtimeMs < options.stableMs) continue;
    complete.push({
      name,
      path: file,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      dev: stat.dev,
      ino: stat.ino,
      doneFile: doneFile && path.join(folder, doneFile),
    });
  }
  complete.sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  return { complete, refused };
}

/** Whether a file still has the size and time it had when listed (it was not being appended to). */
export async function unchangedSince(file: CompleteFile): Promise<boolean> {
  try {
    const stat = await fs.lstat(file.path);
    return (
      stat.size === file.size &&
      stat.mtimeMs === file.mtimeMs &&
      stat.dev === file.dev &&
      stat.ino === file.ino
    );
  } catch {
    return false;
  }
}
