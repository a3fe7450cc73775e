import type { DataSource } from 'typeorm';
import { bridgeEvent, deterministicUuid, OutboxWriter } from '../../outbox/outbox-writer';
import { inTransaction } from '../../common/transaction';
import { AuditCheckpoint, writeCheckpoint } from './audit-checkpoint';

/** Where and how often checkpoints are published. */
export interface AuditCheckpointOptions {
  /** BRIDGE_AUDIT_CHECKPOINT_INTERVAL_MS: between two checkpoints (default 5 minutes). */
  intervalMs: number;
  /** BRIDGE_AUDIT_CHECKPOINT_DIR: a directory outside the database to write them to, if any. */
  dir?: string;
}

/** Reads BRIDGE_AUDIT_CHECKPOINT_INTERVAL_MS (1 s to 1 day) and BRIDGE_AUDIT_CHECKPOINT_DIR. */
export function auditCheckpointOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): AuditCheckpointOptions {
  const raw = env.BRIDGE_AUDIT_CHECKPOINT_INTERVAL_MS?.trim();
  const intervalMs = raw ? Number(raw) : 300_000;
  if (!Number.isInteger(intervalMs) || intervalMs < 1000 || intervalMs > 86_400_000)
    throw new Error(
      `BRIDGE_AUDIT_CHECKPOINT_INTERVAL_MS must be a whole number of milliseconds from 1000 to 86400000, got "${raw}"`,
    );
  const dir = env.BRIDGE_AUDIT_CHECKPOINT_DIR?.trim() || undefined;
  return { intervalMs, dir };
}

/** What the publisher needs of the message log. */
export interface CheckpointSource {
  checkpoint(): Promise<AuditCheckpoint | undefined>;
}

/**
 * Publishes a signed checkpoint of the message log every interval: as an `audit.checkpoint`
 * CloudEvent on `bridge.events` (through the outbox, so it is published once the relay runs)
 * and, when a directory is configured, as a file there. Whoever keeps either copy can later
 * prove that records were cut from the end of the log. Nothing is published while the log
 * has not moved since the last checkpoint of this process.
 */
export class AuditCheckpointPublisher {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastPublished?: string;

  constructor(
    private readonly log: CheckpointSource,
    private readonly dataSource: DataSource,
    private readonly options: AuditCheckpointOptions,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.publish()
        .then(() => undefined, this.onError)
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Takes and publishes one checkpoint now; returns it (undefined when there was nothing new). */
  async publish(): Promise<AuditCheckpoint | undefined> {
    const checkpoint = await this.log.checkpoint();
    if (!checkpoint) return undefined;
    const head = `${checkpoint.lastId}:${checkpoint.lastHash}`;
    if (head === this.lastPublished) return undefined;
    if (this.options.dir) await writeCheckpoint(this.options.dir, checkpoint);
    await inTransaction(this.dataSource, (manager) =>
      new OutboxWriter(manager).event(
        bridgeEvent(
          'audit.checkpoint',
          deterministicUuid(`audit.checkpoint:${head}:${checkpoint.at}`),
          checkpoint,
          {
            subject: 'message-log',
            time: checkpoint.at,
          },
        ),
      ),
    );
    this.lastPublished = head;
    return checkpoint;
  }
}
