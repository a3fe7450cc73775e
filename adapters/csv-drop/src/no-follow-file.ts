import { constants, promises as fs, ReadStream } from 'node:fs';

/**
 * A file as the outbox scan found it: its path and the identity (device, inode) of the regular
 * file that was there. Reading it later opens the path without following a link and checks
 * the opened file is still that one: an agency that swaps the name for a link to /etc/passwd
 * between scan and read gets nothing read.
 */
export interface PinnedFile {
  path: string;
  dev: number;
  ino: number;
}

/** A file the bridge will not open: a link, not a regular file, or not the file scanned. */
export class UnsafeFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeFileError';
  }
}

// O_NONBLOCK: opening a FIFO planted under the name must not hang the worker.
const READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

async function openChecked(file: string, flags: number, pinned?: PinnedFile): Promise<fs.FileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, flags, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new UnsafeFileError(`${file} is a symbolic link`);
    if (code === 'ENXIO') throw new UnsafeFileError(`${file} is not a regular file`);
    throw error;
  }
  try {
    // The opened file, not the name: what the checks below see is what is read or written.
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UnsafeFileError(`${file} is not a regular file`);
    if (pinned && (stat.dev !== pinned.dev || stat.ino !== pinned.ino))
      throw new UnsafeFileError(`${file} was replaced after it was listed`);
    if (flags & constants.O_WRONLY && stat.nlink > 1)
      throw new UnsafeFileError(`${file} has other hard links; the bridge writes only files of its own`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Opens a file for reading without following a link, checked against the scan when pinned. */
export async function readStreamOf(file: PinnedFile | string, start = 0): Promise<ReadStream> {
  const pinned = typeof file === 'string' ? undefined : file;
  const handle = await openChecked(pinned?.path ?? (file as string), READ, pinned);
  return handle.createReadStream({ start, autoClose: true });
}

/** The whole of a (small) file, read as {@link readStreamOf} reads it. */
export async function readNoFollow(file: PinnedFile | string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await readStreamOf(file)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Writes `data` to `file`, replacing what it held, but never through a symbolic link, into a
 * FIFO or device, or into a file with other hard links: a done-file or note name an agency
 * planted as a link must not truncate the file it points at.
 */
export async function writeNoFollow(file: string, data: string | Buffer): Promise<void> {
  const handle = await openChecked(file, WRITE);
  try {
    await handle.truncate(0);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}
