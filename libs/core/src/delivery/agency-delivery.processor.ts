import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CallContext,
  DeliveryNotice,
  ExchangedMessage,
  IntegrationError,
  SupplementSubmission,
} from '@bridge/adapter-sdk';
import { DossierDocument } from '@bridge/domain';
import { DossierEntity } from '@bridge/persistence';
import { AgencyJob, AgencyJobHandler, AgencyJobName, ComeBackLaterError, DeadLetter } from '@bridge/queues';
import { DossierLedger, toEntity } from '../lifecycle/dossier-ledger';
import { readByIds } from '../lifecycle/dossier-rows';
import { GroupCommit } from '../common/group-commit';
import { ReadBatcher } from '../common/read-batcher';
import { LifecycleInput } from '../lifecycle/lifecycle-input';
import { MESSAGE_RECORDER, MessageRecorder, RecordedMessage } from '../common/message-recorder';
import { inTransaction } from '../common/transaction';
import { BridgeMetrics } from '../metrics/bridge-metrics';
import { DeliveryStats } from '../metrics/delivery-stats';
import { ADAPTER_PROVIDER, AdapterProvider } from './adapter-provider';
import { DeadLetterService } from './dead-letter.service';
import { FilingLease, HeldLease } from './filing-lease';

/** What one job commits: the lifecycle changes the agency's answer makes, and the messages exchanged. */
interface DeliveryCommit {
  dossierId: string;
  inputs: LifecycleInput[];
  messages: RecordedMessage[];
  /** The filing lease the commit gives back with the answer, for a submission. */
  lease?: HeldLease;
}

/** Does one job's work against the agency; `messages` are the exchanges recorded so far. */
type JobRun = (job: AgencyJob, ctx: CallContext, messages: () => RecordedMessage[]) => Promise<void>;

/**
 * Runs agency jobs: decode → call the agency's adapter → commit what it answered. Errors are
 * IntegrationErrors; libs/queues decides retry, delay or dead letter. Every job is safe to run
 * again: a submission is skipped once the dossier is past `collected`, and the adapter files
 * under the dossier id as idempotency key, so a crash between the agency's answer and our
 * commit never files a dossier twice.
 */
@Injectable()
export class AgencyDeliveryProcessor implements AgencyJobHandler {
  /** Jobs finishing at the same moment commit together (see {@link GroupCommit}). */
  private readonly commits = new GroupCommit((items: DeliveryCommit[]) => this.commitMany(items), {
    maxGroups: 2,
    maxSize: 32,
  });
  private readonly leases: FilingLease;
  /** Jobs starting at the same moment read their dossiers with one query. */
  private readonly reads = new ReadBatcher((ids: string[]) => this.readMany(ids), {
    maxGroups: 2,
    maxSize: 64,
  });

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ADAPTER_PROVIDER) private readonly adapters: AdapterProvider,
    @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
    @Optional() @Inject(MESSAGE_RECORDER) private readonly recorder?: MessageRecorder,
    @Optional() @Inject(BridgeMetrics) private readonly metrics?: BridgeMetrics,
    @Optional() @Inject(DeliveryStats) private readonly stats?: DeliveryStats,
  ) {
    this.leases = new FilingLease(dataSource);
  }

  /** Runs one job and measures it: deliveries by outcome, latency, last success. */
  async handle(job: AgencyJob, signal: AbortSignal): Promise<void> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      await this.run(job, signal);
    } catch (error) {
      this.metrics?.deliveryFinished(job.payload.agencyCode, job.name, 'retry', seconds());
      throw bridgeSideAsTemporary(error);
    }
    this.metrics?.deliveryFinished(job.payload.agencyCode, job.name, 'success', seconds());
    // Not awaited: the job's agency slot is freed when this returns, and a statistics write
    // (never throws, one Redis round trip shared by jobs ending together) is not the job's work.
    void this.stats?.record(job.payload.agencyCode, seconds() * 1000);
  }

  /**
   * The work of each job name. `satisfies` makes a job name without a handler a compile error,
   * not a job that fails at run time.
   */
  private readonly handlers = {
    [AgencyJobName.SubmitDossier]: (job, ctx, messages) =>
      this.submit(job.payload.agencyCode, job.payload.dossierId, ctx, messages),
    [AgencyJobName.SubmitSupplement]: (job, ctx, messages) => this.supplement(job, ctx, messages),
    [AgencyJobName.NotifyDelivered]: (job, ctx, messages) =>
      this.notifyDelivered(job.payload.agencyCode, job.payload.dossierId, job.payload.data, ctx, messages),
  } satisfies Record<AgencyJobName, JobRun>;

  private async run(job: AgencyJob, signal: AbortSignal): Promise<void> {
    const { agencyCode, dossierId, correlationId } = job.payload;
    const messages: ExchangedMessage[] = [];
    const ctx: CallContext = { correlationId, signal, record: (m) => messages.push(m) };
    const log = (m: ExchangedMessage[]) => this.toRecorded(m, agencyCode, dossierId, correlationId);
    try {
      // A name read back from Redis may predate this version of the bridge.
      if (!Object.hasOwn(this.handlers, job.name))
        throw IntegrationError.permanent(`job ${job.name} has no handler in the delivery processor`);
      await this.handlers[job.name](job, ctx, () => log(messages));
    } catch (error) {
      // A failed call is logged too: the message log holds every exchange, not only the happy ones.
      if (messages.length > 0) await this.recorder?.append(log(messages)).catch(() => undefined);
      throw error;
    }
  }

  /** Persists a job the queues gave up on, with every attempt, and announces it. */
  async onDeadLetter(letter: DeadLetter): Promise<void> {
    await this.deadLetters.recordNow({
      origin: 'delivery',
      agencyCode: letter.job.payload.agencyCode,
      dossierId: letter.job.payload.dossierId,
      operation: letter.job.name,
      payload: { jobId: letter.job.id, payload: letter.job.payload },
      errorCode: letter.error.code,
      reason: letter.reason,
      attempts: letter.attempts,
      correlationId: letter.job.payload.correlationId,
    });
    this.metrics?.deliveryFinished(letter.job.payload.agencyCode, letter.job.name, 'dead_letter', 0);
  }

  private async dossier(dossierId: string): Promise<DossierEntity> {
    const dossier = await this.reads.read(dossierId);
    if (!dossier) throw IntegrationError.permanent(`dossier ${dossierId} is not known to the bridge`);
    return dossier;
  }

  private async submit(
    agencyCode: string,
    dossierId: string,
    ctx: CallContext,
    messages: () => RecordedMessage[],
  ): Promise<void> {
    // One run at a time files a dossier, whatever Redis remembers of its jobs.
    await this.leases.holding(dossierId, (lease) => this.submitHeld(agencyCode, lease, ctx, messages));
  }

  private async submitHeld(
    agencyCode: string,
    lease: HeldLease,
    ctx: CallContext,
    messages: () => RecordedMessage[],
  ): Promise<void> {
    const dossier = await this.dossier(lease.dossierId);
    if (dossier.status !== 'collected') return; // already submitted by an earlier run
    const receipt = await this.adapters
      .adapterFor(agencyCode)
      .submit({ idempotencyKey: dossier.id, dossier: dossier.snapshot }, ctx);
    const at = new Date().toISOString();
    const base = { origin: 'agency' as const, correlationId: ctx.correlationId, ref: dossier.id };
    await this.commits.submit({
      dossierId: dossier.id,
      inputs: [
        { ...base, event: 'agency.submission.accepted', occurredAt: at },
        {
          ...base,
          event: 'agency.dossier.received',
          occurredAt: receipt.receivedAt ?? at,
          patch: { agencyDossierCode: receipt.agencyDossierCode, appointmentDate: receipt.appointmentDate },
          detail: `receipt ${receipt.agencyDossierCode}${receipt.appointmentDate ? `, appointment ${receipt.appointmentDate}` : ''}`,
        },
      ],
      messages: messages(),
      lease,
    });
  }

  private async supplement(
    job: AgencyJob,
    ctx: CallContext,
    messages: () => RecordedMessage[],
  ): Promise<void> {
    const dossier = await this.dossier(job.payload.dossierId);
    if (!dossier.agencyDossierCode)
      throw IntegrationError.temporary('the agency has not issued a dossier code yet');
    const data = job.payload.data as { documents?: DossierDocument[]; collectedAt?: string };
    const supplement: SupplementSubmission = {
      idempotencyKey: job.id,
      agencyDossierCode: dossier.agencyDossierCode,
      documents: data.documents ?? [],
      collectedAt: data.collectedAt ?? new Date().toISOString(),
    };
    const adapter = this.adapters.adapterFor(job.payload.agencyCode);
    if (adapter.takesSupplements === false) return this.supplementTask(job, dossier.id, supplement);
    await adapter.submitSupplement(supplement, ctx);
    await inTransaction(this.dataSource, async (manager) => {
      await new DossierLedger(manager).note(
        dossier.id,
        'delivery',
        'supplement.submitted',
        `${supplement.documents.length} document(s) sent to the agency`,
      );
      await this.recorder?.append(messages(), manager);
    });
  }

  /**
   * The agency's software takes no supplementary documents: they become a task for operations
   * (an open dead letter naming each document, on the dossier's timeline too), done once and
   * closed by discarding it when handed over — not an error retried, not dropped.
   */
  private async supplementTask(job: AgencyJob, dossierId: string, supplement: SupplementSubmission) {
    const list =
      supplement.documents.map((d) => `${d.name} (${d.form}, ${d.count})`).join('; ') || 'none listed';
    const reason = `the agency takes no supplementary documents through the bridge; hand them over another way: ${list}`;
    // One letter (its record also notes the dossier's timeline); the job then ends as done.
    await this.deadLetters.recordNow({
      origin: 'operations-task',
      agencyCode: job.payload.agencyCode,
      dossierId,
      operation: job.name,
      payload: { documents: supplement.documents, collectedAt: supplement.collectedAt },
      errorCode: 'TASK',
      reason,
      attempts: [{ at: new Date().toISOString(), code: 'TASK', message: reason }],
    });
  }

  private async notifyDelivered(
    agencyCode: string,
    dossierId: string,
    data: Record<string, unknown>,
    ctx: CallContext,
    messages: () => RecordedMessage[],
  ): Promise<void> {
    const dossier = await this.dossier(dossierId);
    if (dossier.status !== 'delivered') return; // acknowledged already, or cancelled meanwhile
    if (!dossier.agencyDossierCode)
      throw IntegrationError.permanent(
        `dossier ${dossierId} has no agency dossier code to report delivery against`,
      );
    const notice: DeliveryNotice = {
      idempotencyKey: dossier.id,
      agencyDossierCode: dossier.agencyDossierCode,
      resultItemId: dossier.resultItemId ?? undefined,
      deliveredAt:
        (typeof data.deliveredAt === 'string' ? data.deliveredAt : undefined) ??
        dossier.snapshot.timestamps.delivered ??
        new Date().toISOString(),
    };
    await this.adapters.adapterFor(agencyCode).notifyDelivered(notice, ctx);
    await this.commits.submit({
      dossierId: dossier.id,
      inputs: [
        {
          event: 'agency.delivery.acknowledged',
          origin: 'agency',
          occurredAt: new Date().toISOString(),
          correlationId: ctx.correlationId,
          ref: dossier.id,
          detail: 'the agency was told the result reached the applicant',
        },
      ],
      messages: messages(),
    });
  }

  /**
   * Commits what agencies answered for many jobs at once: their dossiers locked in one query,
   * the changes written in one statement, the exchanged messages staged, the filing leases
   * given back — one transaction.
   */
  private async commitMany(items: DeliveryCommit[]): Promise<void[]> {
    const leases = items.flatMap((item) => (item.lease ? [item.lease] : []));
    const done = await inTransaction(this.dataSource, async (manager) => {
      const ledger = new DossierLedger(manager, { deferred: true });
      await ledger.lockMany(items.map((item) => item.dossierId));
      for (const item of items) for (const input of item.inputs) await ledger.apply(input);
      // Staged with the state change (no lock; the chainer hashes it in after the commit) and
      // the leases given back, in the ledger's statement.
      ledger.alsoWrite(this.recorder?.staged(items.flatMap((item) => item.messages)));
      ledger.alsoWrite(this.leases.releasing(leases));
      await ledger.flush();
      return items.map(() => undefined);
    });
    this.leases.markReleased(leases);
    return done;
  }

  /** Reads many dossiers in one query, in the order asked (null for one not known). */
  private async readMany(ids: string[]): Promise<(DossierEntity | null)[]> {
    const rows = await readByIds(this.dataSource, ids);
    const byId = new Map(rows.map((row) => [row.id, toEntity(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private toRecorded(
    messages: ExchangedMessage[],
    agencyCode: string,
    dossierId: string | undefined,
    correlationId: string,
  ): RecordedMessage[] {
    return messages.map((m) => ({
      channel: 'agency',
      direction: m.direction,
      agencyCode,
      dossierId,
      operation: m.operation,
      correlationId,
      status: m.status === undefined ? undefined : String(m.status),
      body: m.body,
    }));
  }
}

/**
 * Adapters speak IntegrationError; anything else thrown while running a job came from the
 * bridge's own side (the database pool timing out, a connection reset) and is worth retrying,
 * never a reason to dead-letter the dossier at once.
 */
export function bridgeSideAsTemporary(error: unknown): unknown {
  if (error instanceof IntegrationError || error instanceof ComeBackLaterError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return IntegrationError.temporary(`bridge-side failure: ${message}`, { cause: error });
}
