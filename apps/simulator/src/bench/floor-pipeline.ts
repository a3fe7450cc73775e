import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';

/** Where the floor pipeline reads, writes and publishes; every name is the run's own. */
export interface FloorSettings {
  amqpUrl: string;
  databaseUrl: string;
  redisUrl: string;
  /** Queue it consumes (declared by the caller, like the bridge's `postal.inbound`). */
  inputQueue: string;
  /** Exchange it publishes to with confirms. */
  outputExchange: string;
  /** BullMQ queue name and key prefix. */
  jobQueue: string;
  bullPrefix: string;
  /** Consumer prefetch; the bridge's postal consumer uses 128. */
  prefetch: number;
  /** Worker concurrency; the bridge runs up to (agencies × concurrency) jobs at once. */
  workerConcurrency: number;
  /** pg pool size; the bridge's pool is 20. */
  poolSize: number;
}

/** The table the floor writes one row per event into. */
export const FLOOR_TABLE = 'bench_floor_events';

/**
 * The least I/O a bridge must do per event, with the bridge's own libraries and nothing else:
 * consume (manual ack), one INSERT, one BullMQ job added and run by a worker (a no-op), one
 * confirmed publish carrying the input's id, then ack. It is what the bridge is measured
 * against.
 */
export class FloorPipeline {
  private connection?: amqp.ChannelModel;
  private pool?: Pool;
  private redis?: Redis;
  private queue?: Queue;
  private worker?: Worker;
  private readonly done = new Map<string, () => void>();

  constructor(private readonly settings: FloorSettings) {}

  async start(): Promise<void> {
    const s = this.settings;
    this.pool = new Pool({ connectionString: s.databaseUrl, max: s.poolSize });
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${FLOOR_TABLE} (id uuid PRIMARY KEY, body jsonb NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`,
    );
    this.redis = new Redis(s.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(s.jobQueue, { connection: this.redis, prefix: s.bullPrefix });
    this.worker = new Worker(s.jobQueue, async () => undefined, {
      connection: this.redis.duplicate(),
      prefix: s.bullPrefix,
      concurrency: s.workerConcurrency,
    });
    this.worker.on('completed', (job) => {
      const resolve = this.done.get(job.id ?? '');
      this.done.delete(job.id ?? '');
      resolve?.();
    });
    await this.worker.waitUntilReady();

    this.connection = await amqp.connect(s.amqpUrl, {
      noDelay: true,
      clientProperties: { connection_name: 'bench-floor' },
    });
    const publisher = await this.connection.createConfirmChannel();
    const consumer = await this.connection.createChannel();
    await consumer.prefetch(s.prefetch);
    await consumer.consume(s.inputQueue, (message) => {
      if (!message) return;
      this.handle(message, publisher).then(
        () => consumer.ack(message),
        (error: unknown) => {
          process.stderr.write(`floor: ${error instanceof Error ? error.message : String(error)}\n`);
          consumer.nack(message, false, true);
        },
      );
    });
  }

  private async handle(message: amqp.ConsumeMessage, publisher: amqp.ConfirmChannel): Promise<void> {
    const body = JSON.parse(message.content.toString('utf8')) as { id: string };
    const id = body.id;
    await this.pool!.query(`INSERT INTO ${FLOOR_TABLE} (id, body) VALUES ($1, $2)`, [id, body]);
    const finished = new Promise<void>((resolve) => this.done.set(id, resolve));
    await this.queue!.add('noop', { id }, { jobId: id, removeOnComplete: { age: 24 * 3600 } });
    await finished;
    const out = { specversion: '1.0', id: randomUUID(), type: 'floor.processed', subject: id };
    await new Promise<void>((resolve, reject) =>
      publisher.publish(
        this.settings.outputExchange,
        'floor.processed',
        Buffer.from(JSON.stringify(out)),
        { persistent: true, messageId: out.id, contentType: 'application/cloudevents+json' },
        (error) => (error ? reject(new Error(String(error))) : resolve()),
      ),
    );
  }

  async stop(): Promise<void> {
    await this.connection?.close().catch(() => undefined);
    await this.worker?.close().catch(() => undefined);
    await this.queue?.obliterate({ force: true }).catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    this.redis?.disconnect();
    await this.pool?.end().catch(() => undefined);
  }
}
