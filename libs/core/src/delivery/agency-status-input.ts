import { DossierStatus, LifecycleEvent } from '@bridge/domain';
import { AgencyStatusChange } from '@bridge/adapter-sdk';
import { LifecycleInput } from '../lifecycle/lifecycle-input';
import { deterministicUuid } from '../outbox/outbox-writer';

/**
 * The lifecycle event an agency's reported status stands for, or a reason it stands for none.
 * "Completed" (portal code 10, result returned) means the agency acknowledged our delivery
 * when the post delivered the result, and a hand-over at its own desk otherwise.
 */
export function agencyStatusEvent(
  status: DossierStatus,
  current: DossierStatus | null,
): LifecycleEvent | { ignored: string } {
  switch (status) {
    case 'received':
      return 'agency.dossier.received';
    case 'processing':
      return 'agency.dossier.processing';
    case 'supplement_requested':
      return 'agency.supplement.requested';
    case 'rejected':
      return 'agency.dossier.rejected';
    case 'result_ready':
      return 'agency.result.ready';
    case 'completed':
      return current === 'delivered' ? 'agency.delivery.acknowledged' : 'agency.result.returned';
    case 'cancelled':
      return 'agency.dossier.withdrawn';
    case 'submitted':
      return {
        ignored: 'the agency reports the dossier as registered; the bridge already knows it was submitted',
      };
    default:
      return { ignored: `status ${status} is the post's to report, not the agency's` };
  }
}

/** The lifecycle inputs of one agency status change (a registration creates the dossier first). */
export function agencyChangeInputs(
  agencyCode: string,
  change: AgencyStatusChange,
  current: DossierStatus | null,
  correlationId: string,
): { inputs: LifecycleInput[]; ignored?: string } {
  const ref = change.bridgeId ?? change.agencyDossierCode;
  const base = {
    origin: 'agency' as const,
    occurredAt: change.at,
    correlationId,
    eventId: change.changeId,
    agencyCode,
    ref,
    detail: [`agency code ${change.agencyStatusCode}`, change.note].filter(Boolean).join(': '),
    patch: {
      ...(change.agencyDossierCode ? { agencyDossierCode: change.agencyDossierCode } : {}),
      ...(change.appointmentDate ? { appointmentDate: change.appointmentDate } : {}),
    },
  };
  const inputs: LifecycleInput[] = [];
  let status = current;
  if (current === null && change.registration && change.agencyDossierCode) {
    const reg = change.registration;
    inputs.push({
      ...base,
      event: 'agency.dossier.registered',
      ref: undefined,
      create: {
        id: deterministicUuid(`dossier:agency:${agencyCode}:${change.agencyDossierCode}`),
        agencyCode,
        procedureCode: reg.procedureCode,
        agencyDossierCode: change.agencyDossierCode,
        appointmentDate: change.appointmentDate,
        serviceOption: 'return',
        applicant: reg.applicant,
        returnAddress: reg.returnAddress,
        documents: reg.documents ?? [],
        fees: [],
      },
    });
    status = 'received';
    if (change.status === 'received') return { inputs };
  }
  const event = agencyStatusEvent(change.status, status);
  if (typeof event !== 'string') return { inputs, ignored: event.ignored };
  inputs.push({ ...base, event, ref: inputs.length > 0 ? inputs[0].create!.id : ref });
  return { inputs };
}
