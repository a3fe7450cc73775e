import type { DataSource, EntityManager } from 'typeorm';
import { CorrelationContext, redactSecrets } from '../../logging';
import { AuditCheckpoint, takeCheckpoint } from './audit-checkpoint';
import { auditKeyFromEnv } from './audit-key';
import { insertChained, lockChain } from './message-log-chain';
import { PruneResult, pruneMessageLog } from './message-log-retention';
import { MessageLogQuery, MessageLogRecord, isBridgeId, searchMessageLog } from './message-log-search';
import { chainStaged, countStaged, stageEntries, StagedContent, stagingInsert } from './message-log-staging';
import type { SideWrite } from '../../common/side-write';
import { MessageLogVerification, verifyMessageLog } from './message-log-verifier';

/** One message exchanged with the post or an agency, as handed to {@link MessageLogService.append}. */
export interface MessageLogInput {
  /** Who the message was exchanged with; `operator` for what a person did through the API. */
  channel: 'postal' | 'agency' | 'operator';
  /** From the bridge's side. */
  direction: 'inbound' | 'outbound';
  agencyCode?: string;
  dossierId?: string;
  /** What the message was, e.g. `submit`, `lookup`, `callback`, `postal.dossier.collected`. */
  operation: string;
  /** Defaults to the current {@link CorrelationContext} id. */
  correlationId?: string;
  /** Outcome, e.g. an HTTP status or `ok` / `error`. */
  status?: string;
  /** The raw message; secrets are redacted and personal ids masked before it is stored. */
  body: string;
}

/** Options of {@link MessageLogService}. */
export interface MessageLogServiceOptions {
  /** Clock (tests). */
  now?: () => Date;
  /** Records read per query by `verify` (default 1000). */
  verifyBatchSize?: number;
  /** Key of the chain and its checkpoints (default: {@link auditKeyFromEnv}). */
  chainKey?: Buffer;
}

/** What {@link MessageLogService.append} wrote for one entry. */
export interface AppendedEntry {
  /** The chain position, or `staged-<n>` while the entry waits to be chained. */
  id: string;
  /** The record's hash; null while staged (it is computed when the entry is chained). */
  hash: string | null;
  loggedAt: Date;
  chained: boolean;
}

function validate(entry: MessageLogInput, index: number): void {
  const where = `message log entry ${index}`;
  if (!['postal', 'agency', 'operator'].includes(entry.channel)) {
    throw new Error(
      `${where}: channel must be "postal", "agency" or "operator", got "${String(entry.channel)}"`,
    );
  }
  if (entry.direction !== 'inbound' && entry.direction !== 'outbound') {
    throw new Error(`${where}: direction must be "inbound" or "outbound", got "${String(entry.direction)}"`);
  }
  if (typeof entry.operation !== 'string' || !entry.operation.trim())
    throw new Error(`${where}: operation must not be empty`);
  if (typeof entry.body !== 'string') throw new Error(`${where}: body must be a string`);
  if (entry.dossierId !== undefined && !isBridgeId(entry.dossierId)) {
    throw new Error(`${where}: dossierId must be a UUID (the bridge id), got "${entry.dossierId}"`);
  }
}

/**
 * The append-only, hash-chained message log (docs/architecture.md, rule 8).
 *
 * Business transactions never touch the chain: `append(entries, manager)` inserts the
 * (redacted) entries into a staging table through the caller's transaction — a plain insert,
 * committed or rolled back with the state change it describes, so a crash loses nothing and
 * no writer waits for another. The {@link MessageLogChainer} of each worker (or
 * {@link chainPending}) then moves staged entries into the chain in batches, under a
 * transaction-scoped advisory lock, assigning ids and hashes in chaining order. `append`
 * without a manager (a message logged outside any business change) chains at once.
 * `search` shows staged entries too (`chained: false`); `verify` walks the chained records and
 * reports how many are still staged.
 */
export class MessageLogService {
  private readonly now: () => Date;
  private readonly key: Buffer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: MessageLogServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.key = options.chainKey ?? auditKeyFromEnv();
  }

  /**
   * Logs the entries, in order. With a `manager` they are staged inside the caller's
   * transaction (ids `staged-<n>`, no hash yet); without one they are chained at once in a
   * transaction of their own. Secrets are redacted before anything is stored either way.
   */
  async append(entries: MessageLogInput[], manager?: EntityManager): Promise<AppendedEntry[]> {
    if (entries.length === 0) return [];
    const contents = this.contentsOf(entries);
    if (manager) {
      const staged = await stageEntries(manager, contents, this.now());
      return staged.map((s) => ({ id: `staged-${s.id}`, hash: null, loggedAt: s.stagedAt, chained: false }));
    }
    const chained = await this.dataSource.transaction(async (m) => {
      await lockChain(m);
      return insertChained(m, this.key, contents, this.now());
    });
    return chained.map((c) => ({ ...c, chained: true }));
  }

  /**
   * The staging of the entries as a side write for the caller's transaction (see
   * {@link append}: validated and redacted the same way), or nothing for no entries.
   */
  staged(entries: MessageLogInput[]): SideWrite | undefined {
    if (entries.length === 0) return undefined;
    return stagingInsert(this.contentsOf(entries), this.now());
  }

  /** Validated entries, with secrets redacted, as they are stored. */
  private contentsOf(entries: MessageLogInput[]): StagedContent[] {
    entries.forEach(validate);
    const fallbackCorrelation = CorrelationContext.current() ?? null;
    return entries.map((entry) => ({
      channel: entry.channel,
      direction: entry.direction,
      agencyCode: entry.agencyCode ?? null,
      dossierId: entry.dossierId ?? null,
      operation: entry.operation,
      correlationId: entry.correlationId ?? fallbackCorrelation,
      status: entry.status ?? null,
      body: redactSecrets(entry.body),
    }));
  }

  /**
   * Chains up to `limit` staged entries (oldest first) in one transaction; returns how many.
   * Safe to call from any number of processes at once.
   */
  async chainPending(limit = 500): Promise<number> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`limit must be a positive integer, got ${limit}`);
    return chainStaged(this.dataSource, this.key, limit, this.now());
  }

  /** Chains every entry staged so far (batch after batch); returns how many. */
  async chainAllPending(batchSize = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const chained = await this.chainPending(batchSize);
      total += chained;
      if (chained < batchSize) return total;
    }
  }

  /**
   * Checks the chained records (see {@link verifyMessageLog}), against `checkpoint` when given;
   * `staged` is how many entries still wait to be chained (committed, not yet covered).
   */
  async verify(checkpoint?: AuditCheckpoint): Promise<MessageLogVerification & { staged: number }> {
    const result = await verifyMessageLog(
      this.dataSource,
      this.key,
      this.options.verifyBatchSize,
      checkpoint,
    );
    return { ...result, staged: await countStaged(this.dataSource) };
  }

  /** The chain's end now, signed with the audit key; undefined while nothing is chained. */
  async checkpoint(): Promise<AuditCheckpoint | undefined> {
    return takeCheckpoint(this.dataSource, this.key, this.now());
  }

  /** Newest first (staged entries first), filtered by dossier, agency and/or correlation id. */
  async search(query: MessageLogQuery = {}): Promise<MessageLogRecord[]> {
    return searchMessageLog(this.dataSource, query);
  }

  /** Deletes records logged before `olderThan`, leaving a retention anchor; see {@link pruneMessageLog}. */
  async prune(olderThan: Date): Promise<PruneResult> {
    return pruneMessageLog(this.dataSource, this.key, olderThan, this.now());
  }
}
