import {
  CloudEvent,
  PostalDossierCollectedData,
  PostalDossierRefData,
  PostalEventType,
} from '@bridge/domain';
import { LifecycleInput } from '../lifecycle/lifecycle-input';
import { deterministicUuid } from '../outbox/outbox-writer';

/**
 * Turns a validated postal CloudEvent into the lifecycle input it stands for. The dossier id
 * of a collected dossier derives from the event's (source, id), so the same event always
 * names the same dossier.
 */
export function postalEventInput(
  event: CloudEvent<unknown, PostalEventType>,
  correlationId: string,
): LifecycleInput {
  const base = {
    event: event.type,
    origin: 'postal' as const,
    eventId: event.id,
    correlationId,
  };
  if (event.type === 'postal.dossier.collected') {
    const data = event.data as PostalDossierCollectedData;
    return {
      ...base,
      occurredAt: data.at,
      detail: data.office ? `collected at ${data.office}` : undefined,
      create: {
        id: deterministicUuid(`dossier:${event.source}:${event.id}`),
        inboundItemId: data.itemId,
        agencyCode: data.agencyCode,
        procedureCode: data.procedureCode,
        serviceOption: data.serviceOption,
        applicant: data.applicant,
        returnAddress: data.returnAddress,
        documents: data.documents,
        fees: data.fees,
      },
    };
  }
  const data = event.data as PostalDossierRefData;
  const detail = [
    data.office && `at ${data.office}`,
    data.reason,
    data.handoverRecord && `hand-over record ${data.handoverRecord}`,
  ]
    .filter(Boolean)
    .join('; ');
  return {
    ...base,
    occurredAt: data.at,
    ref: data.dossierRef ?? data.itemId,
    detail: detail || undefined,
    patch:
      event.type === 'postal.result.collected' && data.resultItemId
        ? { resultItemId: data.resultItemId }
        : undefined,
    data: data.documents ? { documents: data.documents } : undefined,
  };
}
