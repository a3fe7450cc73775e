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
import { writeRejectFile } from './reject-file';
import { StatusFileContent } from './status-file-reader';
import { moveInto, writeNote } from './file-moves';

/** What commit does with one file once the bridge has committed the changes. */
type Settlement =
  | { kind: 'applied'; file: CompleteFile; content: StatusFileContent }
  | { kind: 'duplicate'; file: CompleteFile; sha256: string; firstSeen: string }
  | { kind: 'failed'; name: string; path: string; doneFile?: string; reason: string };

export interface CsvDropPollerDeps {
  options: ResolvedCsvDropOptions;
  store: AdapterStore;
  keyPrefix: string;
  lock: FolderLock;
  receipts: ReceiptFinder;
  logger: AdapterLogger;
  readFile(file: CompleteFile): Promise<StatusFileContent>;
}

/**
 * Reads the agency's outbox. `poll` only reads: every move, reject file and processed-hash
 * mark happens in the returned `commit`, which the bridge calls after it committed the changes
 * (ack after commit). A crash in between means the same files are read again, with the same
 * change ids.
 */
export class CsvDropPoller {
  constructor(private readonly deps: CsvDropPollerDeps) {}

  private processedKey(sha256: string): string {
    return `${this.deps.keyPrefix}:processed:${sha256}`;
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

    for (const file of listing.complete.slice(0, options.maxFilesPerPoll)) {
      if (file.size > options.maxFileBytes) {
        const reason = `file is ${file.size} bytes, above the limit of ${options.maxFileBytes}`;
        settlements.push({
          kind: 'failed',
          name: file.name,
          path: file.path,
          doneFile: file.doneFile,
          reason,
        });
        rejected.push({ source: file.name, reason, raw: '' });
        continue;
      }
      let content: StatusFileContent;
      try {
        content = await this.deps.readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // taken away meanwhile
        throw mapFileSystemError(error, `reading ${file.name}`);
      }
      if (!(await unchangedSince(file))) continue; // still being written: next poll
      const firstSeen =
        seenThisPoll.get(content.sha256) ?? (await this.deps.store.get(this.processedKey(content.sha256)));
      if (firstSeen) {
        settlements.push({ kind: 'duplicate', file, sha256: content.sha256, firstSeen });
        continue;
      }
      seenThisPoll.set(content.sha256, JSON.stringify({ file: file.name, at: new Date().toISOString() }));
      await this.record(ctx, file, content);
      if (content.failure) {
        settlements.push({
          kind: 'failed',
          name: file.name,
          path: file.path,
          doneFile: file.doneFile,
          reason: content.failure,
        });
        rejected.push({ source: file.name, reason: content.failure, raw: '' });
        continue;
      }
      this.deps.receipts.remember(file, content);
      for (const change of content.changes) changes.push(change);
      for (const r of content.rejects)
        rejected.push({ source: file.name, line: r.line, reason: r.reason, raw: r.raw });
      settlements.push({ kind: 'applied', file, content });
    }
    if (settlements.length === 0) return { changes };
    return { changes, rejected, commit: () => this.commit(settlements) };
  }

  private async record(ctx: CallContext, file: CompleteFile, content: StatusFileContent): Promise<void> {
    const { options, logger } = this.deps;
    const summary = `file=${file.name} sha256=${content.sha256} bytes=${content.size} encoding=${content.encoding ?? 'unknown'} rows=${content.changes.length} rejected=${content.rejects.length}${content.failure ? ` failure=${content.failure}` : ''}`;
    logger.info('csv-drop status file read', {
      file: file.name,
      sha256: content.sha256,
      encoding: content.encoding,
      changes: content.changes.length,
      rejected: content.rejects.length,
      failure: content.failure,
    });
    let body = summary;
    if (content.encoding && content.size <= options.recordMaxBytes) {
      const bytes = await fs.readFile(file.path);
      const text = iconv.decode(bytes, content.encoding === 'windows-1258' ? 'windows-1258' : 'utf-8');
      body = `${summary}\n${text.normalize('NFC')}`;
    }
    ctx.record({
      direction: 'inbound',
      operation: 'poll',
      endpoint: file.path,
      status: content.encoding,
      body,
    });
  }

  private async commit(settlements: Settlement[]): Promise<void> {
    const { options, store, lock, logger } = this.deps;
    try {
      await fs.stat(options.outboxDir); // never recreate a vanished share locally
      await lock.acquire();
      for (const s of settlements) {
        if (s.kind === 'applied') {
          await this.deps.receipts.record(s.content.changes);
          if (s.content.rejects.length) await writeRejectFile(options.rejectDir, s.file.name, s.content);
          const mark = JSON.stringify({ file: s.file.name, at: new Date().toISOString() });
          await store.set(this.processedKey(s.content.sha256), mark);
          await moveInto(options.archiveDir, s.file.path, s.file.doneFile);
        } else if (s.kind === 'duplicate') {
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
}
