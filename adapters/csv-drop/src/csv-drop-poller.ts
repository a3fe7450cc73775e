import { promises as fs } from 'node:fs';
import * as iconv from 'iconv-lite';
import {
  AdapterLogger,
  AdapterStore,
  AgencyStatusChange,
  CallContext,
  PollResult,
  RejectedRecord,
} from '@bridge/adapter-sdk';
import { ResolvedCsvDropOptions } from './csv-drop-options';
import { mapFileSystemError } from './csv-drop-errors';
import { FolderLock } from './folder-lock';
import { CompleteFile, scanOutbox, unchangedSince } from './outbox-scanner';
import { ReceiptFinder } from './receipt-finder';
import { RejectFile } from './reject-file';
import { RowPosition, StatusFileHead, StatusPage } from './status-file-reader';
import { moveInto, writeNote } from './file-moves';
import { readNoFollow } from './no-follow-file';

/**
 * How far a status file has been applied, kept in the store between its pages: the next poll
 * continues at `next` without reading the file from its start again.
 */
interface ReadingProgress {
  /** The file as it was listed when its reading began; a file that changed is read afresh. */
  size: number;
  mtimeMs: number;
  head: StatusFileHead;
  next: RowPosition;
  changes: number;
  rejects: number;
  /** Bytes of the partial reject file the committed pages wrote. */
  rejectBytes: number;
}

/** What commit does with one file once the bridge has committed the changes. */
type Settlement =
  | { kind: 'page'; file: CompleteFile; progress: ReadingProgress; page: StatusPage }
  | { kind: 'duplicate'; file: CompleteFile; sha256: string; firstSeen: string }
  | { kind: 'failed'; name: string; path: string; doneFile?: string; reason: string };

/** Progress of a file nobody finished (removed by hand while being applied) is forgotten after this. */
const PROGRESS_TTL_MS = 7 * 24 * 3_600_000;

export interface CsvDropPollerDeps {
  options: ResolvedCsvDropOptions;
  store: AdapterStore;
  keyPrefix: string;
  lock: FolderLock;
  receipts: ReceiptFinder;
  logger: AdapterLogger;
  inspect(file: CompleteFile): Promise<StatusFileHead>;
  readPage(file: CompleteFile, head: StatusFileHead, from: RowPosition, maxRows: number): Promise<StatusPage>;
}

/**
 * Reads the agency's outbox, at most `maxRowsPerPoll` rows per poll: a larger file is read page
 * by page, each page continuing where the last committed one ended, and `more` asks the bridge
 * to poll again at once. `poll` only reads: every move, reject file, progress and processed-hash
 * mark happens in the returned `commit`, which the bridge calls after it committed the changes
 * (ack after commit). A crash in between means the same page is read again, with the same
 * change ids; a file is archived only after its last page.
 */
export class CsvDropPoller {
  constructor(private readonly deps: CsvDropPollerDeps) {}

  private processedKey(sha256: string): string {
    return `${this.deps.keyPrefix}:processed:${sha256}`;
  }

  private progressKey(file: CompleteFile): string {
    return `${this.deps.keyPrefix}:reading:${file.name}`;
  }

  async poll(ctx: CallContext): Promise<PollResult> {
    const { options, lock } = this.deps;
    if (!(await lock.acquire())) return { changes: [] };
    let listing;
    try {
      listing = await scanOutbox(options.outboxDir, {
        pattern: options.filePattern,
        doneFileSuffix: options.doneFileSuffix,
        stableMs: options.stableMs,
      });
    } catch (error) {
      throw mapFileSystemError(error, `reading the agency outbox ${options.outboxDir}`);
    }
    const changes: AgencyStatusChange[] = [];
    const rejected: RejectedRecord[] = [];
    const settlements: Settlement[] = listing.refused.map((f) => ({ kind: 'failed', ...f }));
    for (const f of listing.refused)
      rejected.push({ source: f.name, reason: `file refused: ${f.reason}`, raw: '' });
    const seenThisPoll = new Map<string, string>();
    let budget = options.maxRowsPerPoll;
    let more = false;

    for (const [index, file] of listing.complete.entries()) {
      if (index >= options.maxFilesPerPoll || budget <= 0) {
        more = true;
        break;
      }
      let progress: ReadingProgress;
      let page: StatusPage;
      try {
        const reading = await this.reading(ctx, file, seenThisPoll);
        if (reading === null) continue; // still being written: next poll
        if ('kind' in reading) {
          settlements.push(reading);
          if (reading.kind === 'failed')
            rejected.push({ source: file.name, reason: reading.reason, raw: '' });
          continue;
        }
        progress = reading;
        page = await this.deps.readPage(file, progress.head, progress.next, budget);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // taken away meanwhile
        throw mapFileSystemError(error, `reading ${file.name}`);
      }
      if (!(await unchangedSince(file))) continue;
      budget -= page.next.row - progress.next.row;
      for (const change of page.changes) changes.push(change);
      for (const r of page.rejects) rejected.push({ source: file.name, ...r });
      settlements.push({ kind: 'page', file, progress, page });
      if (!page.done) {
        more = true;
        break;
      }
    }
    if (settlements.length === 0) return { changes };
    return { changes, rejected, more, commit: () => this.commit(settlements) };
  }

  /**
   * Where reading a file stands: its stored progress, or its start once it was checked whole
   * (read for the first time); instead, what to do with a file that must not be applied (a
   * duplicate, a file too large or broken), or null for a file still being written.
   */
  private async reading(
    ctx: CallContext,
    file: CompleteFile,
    seenThisPoll: Map<string, string>,
  ): Promise<ReadingProgress | Settlement | null> {
    const failed = (reason: string): Settlement => ({
      kind: 'failed',
      name: file.name,
      path: file.path,
      doneFile: file.doneFile,
      reason,
    });
    const { maxFileBytes } = this.deps.options;
    if (file.size > maxFileBytes)
      return failed(`file is ${file.size} bytes, above the limit of ${maxFileBytes}`);
    const seen = () => JSON.stringify({ file: file.name, at: new Date().toISOString() });
    const stored = await this.deps.store.get(this.progressKey(file));
    const progress = stored ? (JSON.parse(stored) as ReadingProgress) : undefined;
    if (progress && progress.size === file.size && progress.mtimeMs === file.mtimeMs) {
      seenThisPoll.set(progress.head.sha256, seen());
      return progress;
    }
    const head = await this.deps.inspect(file);
    if (!(await unchangedSince(file))) return null;
    const { sha256 } = head;
    const firstSeen = seenThisPoll.get(sha256) ?? (await this.deps.store.get(this.processedKey(sha256)));
    if (firstSeen) return { kind: 'duplicate', file, sha256, firstSeen };
    seenThisPoll.set(sha256, seen());
    await this.record(ctx, file, head);
    if (head.failure) return failed(head.failure);
    return {
      size: file.size,
      mtimeMs: file.mtimeMs,
      head,
      next: head.start,
      changes: 0,
      rejects: 0,
      rejectBytes: 0,
    };
  }

  private async record(ctx: CallContext, file: CompleteFile, head: StatusFileHead): Promise<void> {
    const { options, logger } = this.deps;
    const summary = `file=${file.name} sha256=${head.sha256} bytes=${head.size} encoding=${head.encoding ?? 'unknown'} rows=${head.rows}${head.failure ? ` failure=${head.failure}` : ''}`;
    logger.info('csv-drop status file read', {
      file: file.name,
      sha256: head.sha256,
      encoding: head.encoding,
      rows: head.rows,
      failure: head.failure,
    });
    let body = summary;
    if (head.encoding && head.size <= options.recordMaxBytes) {
      const bytes = await readNoFollow(file);
      const text = iconv.decode(bytes, head.encoding === 'windows-1258' ? 'windows-1258' : 'utf-8');
      body = `${summary}\n${text.normalize('NFC')}`;
    }
    ctx.record({
      direction: 'inbound',
      operation: 'poll',
      endpoint: file.path,
      status: head.encoding,
      body,
    });
  }

  private async commit(settlements: Settlement[]): Promise<void> {
    const { options, lock, logger } = this.deps;
    try {
      await fs.stat(options.outboxDir); // never recreate a vanished share locally
      await lock.acquire();
      for (const s of settlements) {
        if (s.kind === 'page') await this.settlePage(s.file, s.progress, s.page);
        else if (s.kind === 'duplicate') {
          const archived = await moveInto(options.archiveDir, s.file.path, s.file.doneFile);
          if (archived) {
            const note = `not applied: same content (sha256 ${s.sha256}) as a file already processed: ${s.firstSeen}`;
            await writeNote(options.archiveDir, `${archived}.note.txt`, note);
            logger.info('csv-drop duplicate status file archived without applying', {
              file: s.file.name,
              sha256: s.sha256,
            });
          }
        } else {
          const moved = await moveInto(options.failedDir, s.path, s.doneFile);
          if (moved) await writeNote(options.failedDir, `${moved}.reason.txt`, s.reason);
          logger.warn('csv-drop status file moved to failed', { file: s.name, reason: s.reason });
        }
      }
    } catch (error) {
      throw mapFileSystemError(error, 'archiving read status files');
    }
  }

  /**
   * Records what a committed page leaves behind: its receipts, its bad rows in the partial
   * reject file, and where the next page starts — or, after the last page, the reject file,
   * the processed-hash mark and the move to the archive.
   */
  private async settlePage(file: CompleteFile, before: ReadingProgress, page: StatusPage): Promise<void> {
    const { options, store, logger } = this.deps;
    await this.deps.receipts.record(page.changes);
    const rejects = new RejectFile(options.rejectDir, file.name);
    const progress: ReadingProgress = {
      ...before,
      next: page.next,
      changes: before.changes + page.changes.length,
      rejects: before.rejects + page.rejects.length,
      rejectBytes: await rejects.append(before.rejectBytes, page.rejects),
    };
    if (!page.done) {
      await store.set(this.progressKey(file), JSON.stringify(progress), { ttlMs: PROGRESS_TTL_MS });
      return;
    }
    if (progress.rejectBytes > 0) await rejects.publish();
    else await rejects.discard();
    const mark = JSON.stringify({ file: file.name, at: new Date().toISOString() });
    await store.set(this.processedKey(progress.head.sha256), mark);
    await moveInto(options.archiveDir, file.path, file.doneFile);
    await store.delete(this.progressKey(file));
    logger.info('csv-drop status file applied and archived', {
      file: file.name,
      sha256: progress.head.sha256,
      changes: progress.changes,
      rejected: progress.rejects,
    });
  }
}
