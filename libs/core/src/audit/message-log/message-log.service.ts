import type { DataSource, EntityManager } from 'typeorm';
import { CorrelationContext, redactSecrets } from '../../logging';
import { insertChained, lockChain } from './message-log-chain';
import { PruneResult, pruneMessageLog } from './message-log-retention';
import { MessageLogVerification, verifyMessageLog } from './message-log-verifier';

/** One message exchanged with the post or an agency, as handed to {@link MessageLogService.append}. */
export interface MessageLogInput {
  channel: 'postal' | 'agency';
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

/** A stored record. */
export interface MessageLogRecord {
  id: string;
  loggedAt: Date;
  /** `postal`, `agency`, or `bridge` for retention anchors. */
  channel: string;
  direction: string;
  agencyCode: string | null;
  dossierId: string | null;
  operation: string;
  correlationId: string | null;
  status: string | null;
  body: string;
  prevHash: string;
  hash: string;
}

/** Filters of {@link MessageLogService.search}; all given filters must match. */
export interface MessageLogQuery {
  dossierId?: string;
  agencyCode?: string;
  correlationId?: string;
  /** 1..1000, default 100. */
  limit?: number;
}

/** Options of {@link MessageLogService}. */
export interface MessageLogServiceOptions {
  /** Clock (tests). */
  now?: () => Date;
  /** Records read per query by `verify` (default 1000). */
  verifyBatchSize?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function validate(entry: MessageLogInput, index: number): void {
  const where = `message log entry ${index}`;
  if (entry.channel !== 'postal' && entry.channel !== 'agency') {
    throw new Error(`${where}: channel must be "postal" or "agency", got "${String(entry.channel)}"`);
  }
  if (entry.direction !== 'inbound' && entry.direction !== 'outbound') {
    throw new Error(`${where}: direction must be "inbound" or "outbound", got "${String(entry.direction)}"`);
  }
  if (typeof entry.operation !== 'string' || !entry.operation.trim())
    throw new Error(`${where}: operation must not be empty`);
  if (typeof entry.body !== 'string') throw new Error(`${where}: body must be a string`);
  if (entry.dossierId !== undefined && !UUID.test(entry.dossierId)) {
    throw new Error(`${where}: dossierId must be a UUID (the bridge id), got "${entry.dossierId}"`);
  }
}

/**
 * The append-only, hash-chained message log (DESIGN.md, reliability rule 8). Appends from any
 * number of processes are serialized by a transaction-scoped advisory lock, so the chain
 * stays linear; pass the caller's `EntityManager` to commit the log rows with the state change
 * they describe (the lock is then held until that transaction ends: append last).
 */
export class MessageLogService {
  private readonly now: () => Date;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: MessageLogServiceOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Appends the entries, in order, under one lock; returns their ids and hashes. */
  async append(
    entries: MessageLogInput[],
    manager?: EntityManager,
  ): Promise<Array<{ id: string; hash: string; loggedAt: Date }>> {
    if (entries.length === 0) return [];
    entries.forEach(validate);
    const fallbackCorrelation = CorrelationContext.current() ?? null;
    const contents = entries.map((entry) => ({
      channel: entry.channel,
      direction: entry.direction,
      agencyCode: entry.agencyCode ?? null,
      dossierId: entry.dossierId ?? null,
      operation: entry.operation,
      correlationId: entry.correlationId ?? fallbackCorrelation,
      status: entry.status ?? null,
      body: redactSecrets(entry.body),
    }));
    const run = async (m: EntityManager) => {
      await lockChain(m);
      return insertChained(m, contents, this.now());
    };
    if (manager?.queryRunner?.isTransactionActive) return run(manager);
    return (manager ?? this.dataSource.manager).transaction(run);
  }

  /** Checks the whole chain; see {@link verifyMessageLog}. */
  async verify(): Promise<MessageLogVerification> {
    return verifyMessageLog(this.dataSource, this.options.verifyBatchSize);
  }

  /** Newest records first, filtered by dossier, agency and/or correlation id. */
  async search(query: MessageLogQuery = {}): Promise<MessageLogRecord[]> {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new Error(`limit must be an integer from 1 to 1000, got ${limit}`);
    if (query.dossierId !== undefined && !UUID.test(query.dossierId)) {
      throw new Error(`dossierId must be a UUID (the bridge id), got "${query.dossierId}"`);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    const filters: Array<[string, string | undefined]> = [
      ['dossier_id', query.dossierId],
      ['agency_code', query.agencyCode],
      ['correlation_id', query.correlationId],
    ];
    for (const [column, value] of filters) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    params.push(limit);
    const sql = `SELECT * FROM message_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`;
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(sql, params);
    return rows.map(toRecord);
  }

  /** Deletes records logged before `olderThan`, leaving a retention anchor; see {@link pruneMessageLog}. */
  async prune(olderThan: Date): Promise<PruneResult> {
    return pruneMessageLog(this.dataSource, olderThan, this.now());
  }
}

function toRecord(row: Record<string, unknown>): MessageLogRecord {
  return {
    id: String(row.id),
    loggedAt: row.logged_at as Date,
    channel: row.channel as string,
    direction: row.direction as string,
    agencyCode: row.agency_code as string | null,
    dossierId: row.dossier_id as string | null,
    operation: row.operation as string,
    correlationId: row.correlation_id as string | null,
    status: row.status as string | null,
    body: row.body as string,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  };
}
