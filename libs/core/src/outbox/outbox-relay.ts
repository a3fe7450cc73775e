import { Client, PoolClient, QueryResult } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { pgClientOf } from '../common/pg-client';
import { OUTBOX_CHANNEL } from './outbox-writer';

/** An `outbox` row as the relay reads it. */
interface OutboxRow {
  id: string;
  kind: 'event' | 'job';
  topic: string;
  agency_code: string | null;
  message_id: string;
  payload: Record<string, unknown>;
  dossier_id: string | null;
}

/**
 * Begins the batch's transaction and claims it in one round trip: the oldest unpublished rows
 * are locked (`SKIP LOCKED`: another relay takes the next ones) and marked published at once —
 * the mark counts only if the transaction commits, which it does after the broker confirmed
 * every event and Redis took every job; a failure rolls it back and the rows stay unpublished.
 * Two statements in one text, so no parameters: the batch size is the relay's own number.
 */
function claimStatement(batchSize: number): string {
  return `BEGIN;
    UPDATE outbox SET published_at = now(), attempts = attempts + 1
     WHERE id = ANY(ARRAY(SELECT id FROM outbox
                           WHERE published_at IS NULL AND available_at <= now()
                           ORDER BY id LIMIT ${batchSize} FOR UPDATE SKIP LOCKED))
    RETURNING id, kind, topic, agency_code, message_id, payload, dossier_id`;
}

/** Rows in the order they were written (ids are bigints, read as strings). */
function sortById(rows: OutboxRow[]): OutboxRow[] {
  return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

/** How soon the relay listens again after its LISTEN connection was lost. */
const RELISTEN_MS = 5_000;

/** Publishes a batch of events to `bridge.events`; resolves only when the broker confirmed all. */
export interface OutboxEventSink {
  publishEvents(
    events: { routingKey: string; body: Record<string, unknown>; messageId: string }[],
  ): Promise<void>;
}

/** An outbox job, as the sink receives it. */
export interface RelayedJob {
  agencyCode: string;
  name: string;
  jobId: string;
  payload: Record<string, unknown>;
  dossierId: string | null;
}

/**
 * Enqueues agency jobs; the same job id twice is a no-op. Returns the jobs that can never be
 * enqueued (no such agency, say) with the reason: the relay dead-letters those instead of
 * letting one poisoned row block the outbox. Throws when it should simply try again later.
 */
export interface OutboxJobSink {
  enqueueJobs(jobs: RelayedJob[]): Promise<{ job: RelayedJob; reason: string }[]>;
}

/** Records jobs that could not be enqueued, inside the relay's transaction. */
export type UndeliverableJobs = (
  manager: EntityManager,
  failed: { job: RelayedJob; reason: string }[],
) => Promise<void>;

export interface OutboxRelayOptions {
  batchSize?: number;
  /** Poll interval when no NOTIFY arrives (and after errors). */
  idleMs?: number;
  /** Connection string for LISTEN; without it the relay only polls. */
  listenUrl?: string;
  onError?: (error: unknown) => void;
  /** Where jobs that can never be enqueued go (dead letters); without it they are retried. */
  undeliverable?: UndeliverableJobs;
}

/**
 * The transactional outbox relay. Locks a batch of unpublished rows with
 * `FOR UPDATE SKIP LOCKED` (several relays may run at once without publishing a row twice) and
 * marks them published in the same transaction, publishes events with confirms and enqueues
 * jobs with deterministic ids, then commits. A crash before the commit publishes the batch again:
 * consumers deduplicate by event id, BullMQ by job id.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A NOTIFY arrived since the current batch began: look again at once instead of sleeping. */
  private notified = false;
  private listener?: Client;
  /**
   * The relay's own pooled connection, kept between batches: every event and job goes through
   * this one loop, so it must never queue behind the consumer and worker handlers for the pool.
   */
  private runner?: QueryRunner;
  /** The runner's transaction holds a published batch not committed yet (see relayOnce). */
  private openBatch = false;
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly claim: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: OutboxEventSink,
    private readonly jobs: OutboxJobSink,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 200;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1)
      throw new Error(`outbox relay batch size must be a positive integer, got ${this.batchSize}`);
    this.claim = claimStatement(this.batchSize);
    this.idleMs = options.idleMs ?? 500;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.options.listenUrl) await this.listen(this.options.listenUrl);
    this.loop = this.run();
  }

  /** Stops after the batch in hand; publishes what is left first when `flush` is set. */
  async stop({ flush = true }: { flush?: boolean } = {}): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    if (flush) while ((await this.relayOnce()) > 0);
    await this.commitOpenBatch().catch((error) => this.options.onError?.(error));
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    await this.runner?.release().catch(() => undefined);
    this.runner = undefined;
  }

  /**
   * Relays one batch; returns how many rows it published. With `holdCommit`, a batch that
   * published rows is left uncommitted (its rows stay locked, so no relay takes them again):
   * the next claim commits it in the same round trip, or {@link commitOpenBatch} does.
   */
  async relayOnce({ holdCommit = false }: { holdCommit?: boolean } = {}): Promise<number> {
    if (!this.runner || this.runner.isReleased) {
      const fresh = this.dataSource.createQueryRunner();
      try {
        await fresh.connect();
      } catch (error) {
        // A query runner keeps the promise of its first connect: one that failed (the database
        // unreachable) would fail every later use, and the relay would never publish again.
        await fresh.release().catch(() => undefined);
        throw error;
      }
      this.runner = fresh;
      this.openBatch = false;
    }
    const runner = this.runner;
    const client = this.clientOf(runner);
    try {
      // The batch before, published already, is committed by the text that claims this one.
      const text = this.openBatch ? `COMMIT;\n${this.claim}` : this.claim;
      this.openBatch = false;
      const results = (await client.query(text)) as unknown as QueryResult<OutboxRow>[];
      const published = await this.relayBatch(runner.manager, sortById(results[results.length - 1].rows));
      if (holdCommit && published > 0) this.openBatch = true;
      else await client.query('COMMIT');
      return published;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // The connection may be broken: take a fresh one next time.
      await runner.release().catch(() => undefined);
      this.runner = undefined;
      throw error;
    }
  }

  /** Commits a batch left open by `relayOnce({ holdCommit: true })`, if any. */
  async commitOpenBatch(): Promise<void> {
    if (!this.openBatch || !this.runner) return;
    this.openBatch = false;
    const runner = this.runner;
    try {
      await this.clientOf(runner).query('COMMIT');
    } catch (error) {
      // Not marked published: those rows are published again (consumers deduplicate by id).
      await runner.release().catch(() => undefined);
      this.runner = undefined;
      throw error;
    }
  }

  /**
   * The runner's own pg client: a claim that begins the transaction (and commits the batch
   * before) and marks the batch in one round trip is several statements in one text, which
   * TypeORM's query() does not hand back separately.
   */
  private clientOf(runner: QueryRunner): PoolClient {
    const client = pgClientOf(runner);
    if (!client) throw new Error("the outbox relay's query runner holds no connection");
    return client;
  }

  private async relayBatch(manager: EntityManager, rows: OutboxRow[]): Promise<number> {
    if (rows.length === 0) return 0;

    const events = rows.filter((r) => r.kind === 'event');
    const jobs = rows.filter((r) => r.kind === 'job');
    // Events and jobs go to different services and keep their own order: both at once.
    const [, failed] = await Promise.all([
      events.length > 0
        ? this.events.publishEvents(
            events.map((r) => ({ routingKey: r.topic, body: r.payload, messageId: r.message_id })),
          )
        : undefined,
      jobs.length > 0
        ? this.jobs.enqueueJobs(
            jobs.map((r) => ({
              agencyCode: r.agency_code!,
              name: r.topic,
              jobId: r.message_id,
              payload: r.payload,
              dossierId: r.dossier_id,
            })),
          )
        : [],
    ]);
    if (failed.length > 0) {
      if (!this.options.undeliverable)
        throw new Error(`${failed.length} job(s) could not be enqueued: ${failed[0].reason}`);
      await this.options.undeliverable(manager, failed);
    }
    return rows.length;
  }

  private async run(): Promise<void> {
    let lastListen = Date.now();
    while (this.running) {
      if (this.options.listenUrl && !this.listener && Date.now() - lastListen >= RELISTEN_MS) {
        lastListen = Date.now();
        await this.listen(this.options.listenUrl);
      }
      let published = 0;
      this.notified = false;
      try {
        published = await this.relayOnce({ holdCommit: true });
        // Under a steady flow the next claim commits this batch; before sleeping, commit now.
        if (published < this.batchSize && !this.notified) await this.commitOpenBatch();
      } catch (error) {
        // The broker, Redis or the database is away: the rows stay unpublished; try again.
        this.options.onError?.(error);
        this.notified = false;
        await this.sleep(this.idleMs);
        continue;
      }
      // Without its LISTEN connection the relay polls more often until it listens again.
      const idle =
        this.options.listenUrl && !this.listener ? Math.min(this.idleMs, RELISTEN_MS) : this.idleMs;
      // A row committed since this batch began has notified (the sleep ends at once), so a
      // batch that was not full needs no second look.
      if (published < this.batchSize) await this.sleep(idle);
    }
    await this.commitOpenBatch().catch((error) => this.options.onError?.(error));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      // Rows committed while the last batch was read would otherwise wait a whole idle period.
      if (this.notified) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async listen(url: string): Promise<void> {
    const client = new Client({ connectionString: url, application_name: 'postal-one-stop-bridge-relay' });
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    client.on('error', (error) => {
      this.options.onError?.(error);
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      this.wake?.();
      // Polling goes on meanwhile; the loop listens again. The relay never depends on NOTIFY.
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      this.options.onError?.(error);
      await client.end().catch(() => undefined);
    }
  }
}
