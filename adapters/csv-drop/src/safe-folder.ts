import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Why a file name may not be used inside a shared folder, or null when it is safe. Names come
 * from the agency's side of the share, so anything that could climb out of the folder or
 * address another one (`..`, separators, absolute paths, drive letters, NUL) is refused.
 */
export function unsafeFileNameReason(name: string): string | null {
  if (name.length === 0) return 'empty file name';
  if (name.includes('\0')) return 'file name holds a NUL byte';
  if (name.includes('..')) return 'file name holds ".."';
  if (name.includes('/') || name.includes('\\')) return 'file name holds a path separator';
  if (path.isAbsolute(name) || /^[A-Za-z]:/.test(name)) return 'file name is an absolute path';
  if (name.length > 200) return 'file name longer than 200 characters';
  return null;
}

/** Joins a checked name to its folder; throws when the name is unsafe. */
export function pathInFolder(folder: string, name: string): string {
  const reason = unsafeFileNameReason(name);
  if (reason) throw new Error(`refused file name "${name}": ${reason}`);
  return path.join(folder, name);
}

/**
 * Whether `file` really lives inside `folder` once symlinks are resolved: a link inside the
 * share that points at /etc/passwd must not be read. Returns the reason when it does not.
 */
export async function escapesFolder(folder: string, file: string): Promise<string | null> {
  const realFolder = await fs.realpath(folder);
  let realFile: string;
  try {
    realFile = await fs.realpath(file);
  } catch {
    return 'symbolic link whose target does not exist';
  }
  const relative = path.relative(realFolder, realFile);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    return `resolves to ${realFile}, outside the folder`;
  }
  if (path.dirname(relative) !== '.') return `resolves to ${realFile}, in a subfolder`;
  return null;
}

/**
 * The file name the bridge drops for one operation on one key, e.g. `NOP_<uuid>.csv`. Only
 * `[A-Za-z0-9_-]` survive; when the key had other characters a short hash of the raw key is
 * appended so that two keys never share a file.
 */
export function outboundFileName(prefix: string, idempotencyKey: string): string {
  const safe = idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120);
  const suffix =
    safe === idempotencyKey
      ? ''
      : `-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 10)}`;
  return `${prefix}_${safe}${suffix}.csv`;
}

/** Names the bridge never reads as status files: hidden, temporary or partial uploads. */
export function isHiddenOrTemporary(name: string): boolean {
  return (
    name.startsWith('.') || name.startsWith('~') || /\.(tmp|part|partial|filepart|crdownload)$/i.test(name)
  );
}
