import { DataSource } from 'typeorm';
import { AgencyJobName, deterministicJobId } from '@bridge/queues';
import { OutboxWriter } from '../outbox/outbox-writer';

/** Which status waits on which agency job. */
const WAITING: { status: string; job: AgencyJobName }[] = [
  { status: 'collected', job: AgencyJobName.SubmitDossier },
  { status: 'delivered', job: AgencyJobName.NotifyDelivered },
];

export interface StuckDossierSweeperOptions {
  /** A dossier unchanged for this long in a waiting status is looked at (default 10 min). */
  stuckAfterMs?: number;
  /** How often to look (default 60 s). */
  intervalMs?: number;
  /** At most this many dossiers per sweep (default 500). */
  batch?: number;
  onError?: (error: unknown) => void;
}

/**
 * Re-enqueues the agency job a dossier is waiting for when it has waited too long — e.g. after
 * Redis lost its data and with it the queued jobs. Safe to run anywhere and often: the job id
 * is the deterministic one, so BullMQ ignores it while the job is still kept; a dossier with an
 * open dead letter is left to a person; and the job itself files under the dossier id as
 * idempotency key, so the agency never gets the dossier twice.
 */
export class StuckDossierSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly stuckAfterMs: number;
  private readonly batch: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: StuckDossierSweeperOptions = {},
  ) {
    this.stuckAfterMs = options.stuckAfterMs ?? 10 * 60_000;
    this.batch = options.batch ?? 500;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweepOnce()
        .catch((error) => {
          this.options.onError?.(error);
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One sweep; returns how many jobs it re-enqueued (through the outbox). */
  async sweepOnce(): Promise<number> {
    let enqueued = 0;
    for (const { status, job } of WAITING) {
      const stuck: { id: string; agency_code: string }[] = await this.dataSource.query(
        `SELECT d.id, d.agency_code FROM dossiers d
          WHERE d.status = $1 AND d.updated_at < now() - make_interval(secs => $2::double precision / 1000)
            AND NOT EXISTS (SELECT 1 FROM dead_letters l WHERE l.dossier_id = d.id AND l.state = 'open' AND l.operation = $3)
            AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dossier_id = d.id AND o.kind = 'job' AND o.topic = $3 AND o.published_at IS NULL)
          ORDER BY d.updated_at LIMIT $4`,
        [status, this.stuckAfterMs, job, this.batch],
      );
      if (stuck.length === 0) continue;
      await this.dataSource.transaction(async (manager) => {
        const outbox = new OutboxWriter(manager);
        for (const dossier of stuck) {
          await outbox.job({
            name: job,
            agencyCode: dossier.agency_code,
            dossierId: dossier.id,
            jobId: deterministicJobId(job, dossier.agency_code, dossier.id),
            payload: {
              agencyCode: dossier.agency_code,
              dossierId: dossier.id,
              correlationId: `sweep-${dossier.id}`,
              data: {},
            },
          });
        }
      });
      enqueued += stuck.length;
    }
    return enqueued;
  }
}
