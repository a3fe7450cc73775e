import { Dossier } from '@bridge/domain';
import { AgencyJobName, deterministicJobId } from '@bridge/queues';
import { OutboxJob } from '../outbox/outbox-writer';
import { LifecycleInput } from './lifecycle-input';

/**
 * What the bridge does next when a lifecycle event applies: the agency jobs it enqueues.
 * Job ids are deterministic, so a re-run enqueues nothing new.
 */
export function reactionsTo(input: LifecycleInput, dossier: Dossier): OutboxJob[] {
  const job = (name: AgencyJobName, key: string, data: Record<string, unknown> = {}): OutboxJob => ({
    name,
    agencyCode: dossier.agencyCode,
    dossierId: dossier.id,
    jobId: deterministicJobId(name, dossier.agencyCode, key),
    payload: {
      agencyCode: dossier.agencyCode,
      dossierId: dossier.id,
      correlationId: input.correlationId,
      data,
    },
  });
  switch (input.event) {
    case 'postal.dossier.collected':
      return [job(AgencyJobName.SubmitDossier, dossier.id)];
    case 'postal.supplement.collected':
      return [
        job(AgencyJobName.SubmitSupplement, `${dossier.id}-${input.eventId ?? input.occurredAt}`, {
          documents: input.data?.documents ?? [],
          collectedAt: input.occurredAt,
        }),
      ];
    case 'postal.result.delivered':
      return [job(AgencyJobName.NotifyDelivered, dossier.id, { deliveredAt: input.occurredAt })];
    default:
      return [];
  }
}
