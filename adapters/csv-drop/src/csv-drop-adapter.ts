import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AdapterDependencies,
  AdapterSpec,
  AdapterStore,
  AgencyAdapter,
  AgencyIdentity,
  AgencyReceipt,
  AgencyStatusChange,
  RejectedRecord,
  CallContext,
  CompiledMapping,
  DeliveryNotice,
  DossierSubmission,
  IntegrationError,
  MemoryAdapterStore,
  PollResult,
  ProbeResult,
  SupplementSubmission,
  adapterLimits,
  compileMappings,
  textRecordToReadAgain,
} from '@bridge/adapter-sdk';
import { CsvDropOptions, ResolvedCsvDropOptions, resolveCsvDropOptions } from './csv-drop-options';
import { mapFileSystemError } from './csv-drop-errors';
import { CsvDropPoller } from './csv-drop-poller';
import { fileExists, renderCsv, writeFileAtomically } from './csv-file-writer';
import { requestRows } from './csv-replay-dialect';
import { encodeForAgency } from './text-encoding';
import { FolderLock } from './folder-lock';
import { CompleteFile, scanOutbox } from './outbox-scanner';
import { FoundReceipt, ReceiptFinder } from './receipt-finder';
import { outboundFileName } from './safe-folder';
import {
  RowPosition,
  StatusFileHead,
  StatusFileReadOptions,
  StatusPage,
  inspectStatusFile,
  readStatusPage,
  statusPages,
} from './status-file-reader';
import { StatusRowMapper, statusRowMapperFor } from './status-row-mapper';

type OutboundMapping = 'submitRequest' | 'supplementRequest' | 'deliveryRequest';

/**
 * An agency whose one-stop software only imports and exports CSV files in a shared folder.
 * Submissions, supplements and delivery notices are dropped into `inboxDir`, one file per
 * operation and key; receipts and status changes are read from `outboxDir`. The agency answers
 * asynchronously, so `submit` drops the file once and then waits a bounded time for the
 * receipt row; a retry finds the file already dropped and only waits again.
 */
export class CsvDropAdapter implements AgencyAdapter {
  readonly options: ResolvedCsvDropOptions;
  private readonly store: AdapterStore;
  private readonly keyPrefix: string;
  private readonly mappings: Partial<Record<string, CompiledMapping>>;
  private readonly mapper: StatusRowMapper;
  private readonly lock: FolderLock;
  private readonly receipts: ReceiptFinder;
  private readonly poller: CsvDropPoller;
  private readonly maxRecordBytes: number;

  constructor(
    readonly agency: AgencyIdentity,
    spec: AdapterSpec,
    deps: AdapterDependencies,
  ) {
    this.options = resolveCsvDropOptions(spec.options as unknown as CsvDropOptions, spec.timeoutMs);
    this.maxRecordBytes = adapterLimits(spec).maxResponseBytes;
    const context = {
      dates: spec.dates,
      statusCodes: spec.statusCodes,
      agency: agency.code,
      limits: spec.limits,
    };
    this.mappings = compileMappings(spec.mappings, context);
    if (!deps.store)
      deps.logger.warn('csv-drop without a shared store: folder lock and hashes are per process');
    this.store = deps.store ?? new MemoryAdapterStore();
    this.keyPrefix = `csv:${agency.code}`;
    this.mapper = statusRowMapperFor(this.options, spec, this.mappings);
    this.lock = new FolderLock(this.store, `${this.keyPrefix}:lock`, this.options.lockTtlMs);
    this.receipts = new ReceiptFinder(
      this.store,
      this.keyPrefix,
      () => this.completeFiles(),
      (file) => this.changePages(file),
    );
    this.poller = new CsvDropPoller({
      options: this.options,
      store: this.store,
      keyPrefix: this.keyPrefix,
      lock: this.lock,
      receipts: this.receipts,
      logger: deps.logger,
      inspect: (file) => inspectStatusFile(file, this.readOptions),
      readPage: (file, head, from, maxRows) => this.readPage(file, head, from, maxRows),
    });
  }

  async submit(submission: DossierSubmission, ctx: CallContext): Promise<AgencyReceipt> {
    const key = submission.idempotencyKey;
    const known = await this.findReceipt(key, ctx);
    if (known) return known;
    const fileName = outboundFileName(this.options.filePrefixes.submit, key);
    await this.dropOnce(
      'submit',
      fileName,
      'submitRequest',
      { dossier: submission.dossier, idempotencyKey: key },
      ctx,
    );
    const deadline = Date.now() + this.options.receiptWaitMs;
    while (Date.now() < deadline) {
      await sleep(Math.min(this.options.receiptPollMs, Math.max(0, deadline - Date.now())), undefined, {
        signal: ctx.signal,
      }).catch(() => undefined);
      if (ctx.signal?.aborted) break;
      const receipt = await this.findReceipt(key, ctx);
      if (receipt) return receipt;
    }
    throw IntegrationError.temporary(
      `no receipt yet: the agency has not answered ${fileName} within ${this.options.receiptWaitMs} ms`,
    );
  }

  async lookup(idempotencyKey: string, ctx: CallContext): Promise<AgencyReceipt | null> {
    ctx.record({
      direction: 'outbound',
      operation: 'lookup',
      endpoint: this.options.outboxDir,
      body: idempotencyKey,
    });
    const receipt = await this.findReceipt(idempotencyKey, ctx);
    if (!receipt) ctx.record({ direction: 'inbound', operation: 'lookup', status: 'not found', body: '' });
    return receipt;
  }

  async submitSupplement(supplement: SupplementSubmission, ctx: CallContext): Promise<void> {
    const fileName = outboundFileName(this.options.filePrefixes.supplement, supplement.idempotencyKey);
    await this.dropOnce('supplement', fileName, 'supplementRequest', supplement, ctx);
  }

  async notifyDelivered(notice: DeliveryNotice, ctx: CallContext): Promise<void> {
    const fileName = outboundFileName(this.options.filePrefixes.delivered, notice.idempotencyKey);
    await this.dropOnce('delivered', fileName, 'deliveryRequest', notice, ctx);
  }

  /** A status row set aside earlier, read again with the current columns and status table. */
  async readRejected(record: RejectedRecord): Promise<AgencyStatusChange> {
    const outcome = await this.mapper.map(textRecordToReadAgain(record));
    if ('reason' in outcome)
      throw IntegrationError.permanent(`${record.source} line ${record.line ?? '?'}: ${outcome.reason}`);
    return record.changeId ? { ...outcome.change, changeId: record.changeId } : outcome.change;
  }

  /**
   * Reads status files, at most `maxRowsPerPoll` rows per call; the cursor is not used, the
   * store keeps how far each file has been applied. `more` says another page is waiting.
   */
  async poll(_cursor: string | undefined, ctx: CallContext): Promise<PollResult> {
    return this.poller.poll(ctx);
  }

  async parseCallback(): Promise<AgencyStatusChange[]> {
    throw IntegrationError.permanent(
      'a csv-drop agency does not push callbacks; its status files are polled',
    );
  }

  async probe(ctx: CallContext): Promise<ProbeResult> {
    const started = Date.now();
    const problems: string[] = [];
    for (const [role, folder] of [
      ['inbox', this.options.inboxDir],
      ['outbox', this.options.outboxDir],
    ]) {
      try {
        const stat = await fs.stat(folder);
        if (!stat.isDirectory()) problems.push(`${role} ${folder} is not a folder`);
        else await fs.access(folder, fsConstants.R_OK | fsConstants.W_OK);
      } catch (error) {
        problems.push(`${role} ${folder}: ${(error as Error).message}`);
      }
    }
    const detail = problems.length ? problems.join('; ') : `inbox and outbox readable and writable`;
    ctx.record({ direction: 'outbound', operation: 'probe', endpoint: this.options.inboxDir, body: '' });
    ctx.record({
      direction: 'inbound',
      operation: 'probe',
      status: problems.length ? 'down' : 'ok',
      body: detail,
    });
    return { ok: problems.length === 0, detail, latencyMs: Date.now() - started };
  }

  async close(): Promise<void> {
    await this.lock.release();
  }

  private get readOptions(): StatusFileReadOptions {
    return {
      declaredEncoding: this.options.encoding,
      delimiter: this.options.delimiter,
      maxRowBytes: this.options.maxRowBytes,
      maxRecordBytes: this.maxRecordBytes,
      mapper: this.mapper,
    };
  }

  private readPage(
    file: CompleteFile,
    head: StatusFileHead,
    from: RowPosition,
    maxRows: number,
  ): Promise<StatusPage> {
    return readStatusPage(file, head, from, maxRows, this.readOptions);
  }

  /** The changes of a whole file, a page at a time (for the receipts it holds). */
  private async *changePages(file: CompleteFile): AsyncGenerator<AgencyStatusChange[]> {
    const head = await inspectStatusFile(file, this.readOptions);
    for await (const page of statusPages(file, head, this.options.maxRowsPerPoll, this.readOptions))
      yield page.changes;
  }

  private async completeFiles(): Promise<CompleteFile[]> {
    const { complete } = await scanOutbox(this.options.outboxDir, {
      pattern: this.options.filePattern,
      doneFileSuffix: this.options.doneFileSuffix,
      stableMs: this.options.stableMs,
    });
    return complete.filter((f) => f.size <= this.options.maxFileBytes);
  }

  private async findReceipt(key: string, ctx: CallContext): Promise<AgencyReceipt | null> {
    let found: FoundReceipt | null;
    try {
      found = await this.receipts.find(key);
    } catch (error) {
      throw mapFileSystemError(error, `looking for the receipt of ${key} in ${this.options.outboxDir}`);
    }
    if (!found) return null;
    ctx.record({
      direction: 'inbound',
      operation: 'receipt',
      endpoint: found.source === 'store' ? undefined : path.join(this.options.outboxDir, found.source),
      status: found.receipt.status,
      body: JSON.stringify({ idempotencyKey: key, ...found.receipt }),
    });
    return found.receipt;
  }

  /**
   * Drops one file for one key, at most once: not when the store says it was written, not when
   * it still sits in the inbox, and not while another worker holds the claim to write it.
   */
  private async dropOnce(
    operation: string,
    fileName: string,
    mappingName: OutboundMapping,
    input: unknown,
    ctx: CallContext,
  ): Promise<void> {
    const target = path.join(this.options.inboxDir, fileName);
    const writtenKey = `${this.keyPrefix}:written:${fileName}`;
    if (await this.store.get(writtenKey)) return;
    const mapping = this.mappings[mappingName];
    if (!mapping) throw IntegrationError.permanent(`csv-drop agency has no mappings.${mappingName}`);
    const mapped = await mapping(input);
    const rows = requestRows(mapped);
    const encoding = this.options.encoding === 'windows-1258' ? 'windows-1258' : 'utf-8';
    const text = renderCsv(rows, this.options.delimiter);
    const bytes = encodeForAgency(text, encoding);
    let claimed = false;
    try {
      if (await fileExists(target)) {
        await this.store.set(writtenKey, JSON.stringify({ at: new Date().toISOString(), found: true }));
        return;
      }
      claimed = await this.store.set(writtenKey, 'writing', { onlyIfAbsent: true, ttlMs: 60_000 });
      if (!claimed) return;
      await writeFileAtomically(this.options.inboxDir, fileName, bytes, this.options.doneFileSuffix);
    } catch (error) {
      if (claimed) await this.store.delete(writtenKey);
      throw mapFileSystemError(error, `dropping ${fileName} into ${this.options.inboxDir}`);
    }
    await this.store.set(writtenKey, JSON.stringify({ at: new Date().toISOString(), bytes: bytes.length }));
    ctx.record({ direction: 'outbound', operation, endpoint: target, status: encoding, body: text });
  }
}
