import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool, PoolClient } from 'pg';
import { request } from 'undici';
import type { FloorSettings } from './floor-pipeline';

/** Where the same-work pipeline reads, writes, publishes (as the floor) and which agency it calls. */
export interface SameWorkSettings extends FloorSettings {
  /** The agency simulator (vendor B, REST) and its API key. */
  agencyUrl: string;
  agencyKey: string;
}

/** Tables of the pipeline (its own, beside the bridge's in the bench schema). */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS sw_inbox (source text, id text, PRIMARY KEY (source, id));
  CREATE TABLE IF NOT EXISTS sw_dossiers (id uuid PRIMARY KEY, item_id text UNIQUE, agency_code text,
    status text, sequence int, agency_dossier_code text, snapshot jsonb, updated_at timestamptz);
  CREATE TABLE IF NOT EXISTS sw_timeline (id bigserial PRIMARY KEY, dossier_id uuid, status text, at timestamptz);
  CREATE TABLE IF NOT EXISTS sw_outbox (id bigserial PRIMARY KEY, kind text, topic text, payload jsonb,
    published_at timestamptz);
  CREATE INDEX IF NOT EXISTS sw_outbox_due ON sw_outbox (id) WHERE published_at IS NULL;`;

interface OutboxRow {
  id: string;
  kind: 'event' | 'job';
  topic: string;
  payload: Record<string, unknown>;
}

/**
 * The bridge's durable work per dossier written plainly with pg, amqplib, bullmq and undici, as
 * a yardstick for the bridge (a reference, not a product: no validation, no mapping engine, no
 * retries, no audit log):
 * 1. consume `postal.dossier.collected` (manual ack);
 * 2. ONE transaction: inbox row, dossier, timeline line, outbox rows (event + agency job); ack;
 * 3. the relay publishes outbox events with confirms and enqueues the job;
 * 4. a BullMQ worker files the dossier at the agency simulator over HTTP;
 * 5. ONE transaction: the receipt on the dossier, two timeline lines, two outbox events;
 * 6. the relay publishes them (`dossier.submitted`, `dossier.received`).
 */
export class SameWorkPipeline {
  private connection?: amqp.ChannelModel;
  private publisher?: amqp.ConfirmChannel;
  private pool?: Pool;
  private queue?: Queue;
  private worker?: Worker;
  private relaying = false;
  private relayAgain = false;
  private sweep?: NodeJS.Timeout;

  constructor(private readonly s: SameWorkSettings) {}

  async start(): Promise<void> {
    const s = this.s;
    this.pool = new Pool({ connectionString: s.databaseUrl, max: s.poolSize });
    await this.pool.query(SCHEMA);
    const redis = new Redis(s.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(s.jobQueue, { connection: redis, prefix: s.bullPrefix });
    this.worker = new Worker(s.jobQueue, (job) => this.file(job.data as { dossierId: string }), {
      connection: redis.duplicate(),
      prefix: s.bullPrefix,
      concurrency: s.workerConcurrency,
    });
    await this.worker.waitUntilReady();
    this.connection = await amqp.connect(s.amqpUrl, { noDelay: true });
    this.publisher = await this.connection.createConfirmChannel();
    const consumer = await this.connection.createChannel();
    await consumer.prefetch(s.prefetch);
    // A backstop for rows a failed relay round left behind (the bridge's relay polls likewise).
    this.sweep = setInterval(() => this.relay(), 250);
    await consumer.consume(s.inputQueue, (message) => {
      if (!message) return;
      this.collect(message).then(
        () => consumer.ack(message),
        () => consumer.nack(message, false, true),
      );
    });
  }

  /** Steps 1–2: the postal event becomes a dossier, its timeline and its outbox rows, in one transaction. */
  private async collect(message: amqp.ConsumeMessage): Promise<void> {
    const event = JSON.parse(message.content.toString('utf8')) as {
      id: string;
      source: string;
      data: Record<string, unknown> & { itemId: string; agencyCode: string };
    };
    const dossierId = randomUUID();
    await this.transaction(async (db) => {
      const inbox = await db.query('INSERT INTO sw_inbox VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        event.source,
        event.id,
      ]);
      if (inbox.rowCount === 0) return;
      await db.query(`INSERT INTO sw_dossiers VALUES ($1, $2, $3, 'collected', 1, NULL, $4, now())`, [
        dossierId,
        event.data.itemId,
        event.data.agencyCode,
        event.data,
      ]);
      await db.query(`INSERT INTO sw_timeline (dossier_id, status, at) VALUES ($1, 'collected', now())`, [
        dossierId,
      ]);
      await this.outbox(db, [
        {
          kind: 'event',
          topic: 'dossier.collected',
          payload: { dossierId, sequence: 1, dossier: event.data },
        },
        { kind: 'job', topic: 'submit', payload: { dossierId } },
      ]);
    });
    this.relay();
  }

  /** Steps 4–5: file at the agency, then the receipt, timeline and events in one transaction. */
  private async file({ dossierId }: { dossierId: string }): Promise<void> {
    const [dossier] = (await this.pool!.query('SELECT snapshot FROM sw_dossiers WHERE id = $1', [dossierId]))
      .rows as { snapshot: Record<string, unknown> & { applicant: Record<string, string> } }[];
    const d = dossier.snapshot;
    const answer = await request(`${this.s.agencyUrl}/api/hoso`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': this.s.agencyKey,
        'idempotency-key': dossierId,
      },
      body: JSON.stringify({
        maHoSoLienThong: dossierId,
        maThuTuc: d.procedureCode,
        chuHoSo: {
          hoTen: d.applicant.fullName,
          soGiayTo: d.applicant.citizenId,
          soDienThoai: d.applicant.phone,
        },
        danhSachGiayTo: d.documents,
        maBuuGui: d.itemId,
      }),
    });
    if (answer.statusCode >= 300) throw new Error(`agency answered ${answer.statusCode}`);
    const receipt = (await answer.body.json()) as { maHoSo: string };
    await this.transaction(async (db) => {
      const { rows } = await db.query(
        `UPDATE sw_dossiers SET status = 'received', sequence = sequence + 2, agency_dossier_code = $2,
                updated_at = now() WHERE id = $1 RETURNING snapshot, sequence`,
        [dossierId, receipt.maHoSo],
      );
      const row = rows[0] as { snapshot: Record<string, unknown>; sequence: number };
      await db.query(
        `INSERT INTO sw_timeline (dossier_id, status, at) VALUES ($1, 'submitted', now()), ($1, 'received', now())`,
        [dossierId],
      );
      const dossierOut = {
        ...row.snapshot,
        inboundItemId: row.snapshot.itemId,
        agencyDossierCode: receipt.maHoSo,
      };
      await this.outbox(db, [
        {
          kind: 'event',
          topic: 'dossier.submitted',
          payload: { dossierId, sequence: row.sequence - 1, dossier: dossierOut },
        },
        {
          kind: 'event',
          topic: 'dossier.received',
          payload: { dossierId, sequence: row.sequence, dossier: dossierOut },
        },
      ]);
    });
    this.relay();
  }

  /** Steps 3 and 6: publish due events with confirms, enqueue due jobs, mark both published. */
  private relay(): void {
    if (this.relaying) {
      this.relayAgain = true;
      return;
    }
    this.relaying = true;
    void this.relayBatch().finally(() => {
      this.relaying = false;
      if (this.relayAgain) {
        this.relayAgain = false;
        this.relay();
      }
    });
  }

  private async relayBatch(): Promise<void> {
    await this.transaction(async (db) => {
      const { rows } = await db.query(
        `SELECT id, kind, topic, payload FROM sw_outbox WHERE published_at IS NULL ORDER BY id LIMIT 500
           FOR UPDATE SKIP LOCKED`,
      );
      const due = rows as OutboxRow[];
      if (due.length === 0) return;
      for (const row of due.filter((r) => r.kind === 'event')) {
        const event = {
          specversion: '1.0',
          id: randomUUID(),
          type: row.topic,
          source: '/same-work',
          data: row.payload,
        };
        this.publisher!.publish(this.s.outputExchange, row.topic, Buffer.from(JSON.stringify(event)), {
          persistent: true,
          contentType: 'application/cloudevents+json',
        });
      }
      const jobs = due.filter((r) => r.kind === 'job');
      await Promise.all([
        this.publisher!.waitForConfirms(),
        this.queue!.addBulk(
          jobs.map((r) => ({
            name: r.topic,
            data: r.payload,
            opts: { jobId: String(r.payload.dossierId), removeOnComplete: true },
          })),
        ),
      ]);
      await db.query('UPDATE sw_outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
        due.map((r) => r.id),
      ]);
    });
  }

  private async outbox(db: PoolClient, rows: Omit<OutboxRow, 'id'>[]): Promise<void> {
    await db.query(
      `INSERT INTO sw_outbox (kind, topic, payload) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`,
      [rows.map((r) => r.kind), rows.map((r) => r.topic), rows.map((r) => JSON.stringify(r.payload))],
    );
  }

  private async transaction(work: (db: PoolClient) => Promise<void>): Promise<void> {
    const db = await this.pool!.connect();
    try {
      await db.query('BEGIN');
      await work(db);
      await db.query('COMMIT');
    } catch (error) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      db.release();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.sweep);
    await this.connection?.close().catch(() => undefined);
    await this.worker?.close().catch(() => undefined);
    await this.queue?.obliterate({ force: true }).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
  }
}
