import { CloudEvent, PostalEventRefusedData, PostalEventType } from '@bridge/domain';
import { EntityManager } from 'typeorm';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { bridgeEvent, OutboxWriter } from '../outbox/outbox-writer';

/** Error code of the dead letter of a postal event the bridge refused. */
export const REFUSED_EVENT_ERROR_CODE = 'REFUSED';

/**
 * Makes a refused postal event visible, in the transaction that refused it (so a refusal is
 * never on record without them): a dead letter with the reason, which an operator replays once
 * the cause is mended (a typo in the agency code, an agency connected since), and
 * `postal.event_refused` on `bridge.events`, so the post learns that the item went nowhere.
 */
export async function keepRefusedEvent(
  manager: EntityManager,
  deadLetters: DeadLetterService,
  refusal: {
    event: CloudEvent<unknown, PostalEventType>;
    reason: string;
    correlationId: string;
    dossierId?: string;
  },
): Promise<string> {
  const { event, reason, correlationId, dossierId } = refusal;
  const deadLetterId = await deadLetters.record(manager, {
    origin: 'inbound',
    agencyCode: agencyCodeOf(event),
    dossierId,
    operation: event.type,
    payload: { message: event },
    errorCode: REFUSED_EVENT_ERROR_CODE,
    reason,
    attempts: [{ at: new Date().toISOString(), code: REFUSED_EVENT_ERROR_CODE, message: reason }],
    correlationId,
  });
  const data: PostalEventRefusedData = {
    ...itemOf(event),
    eventId: event.id,
    eventSource: event.source,
    eventType: event.type,
    reason,
    deadLetterId,
    ...(dossierId ? { dossierId } : {}),
  };
  await new OutboxWriter(manager).event(
    bridgeEvent('postal.event_refused', `refused:${deadLetterId}`, data, {
      subject: dossierId,
      correlationId,
    }),
    dossierId,
  );
  return deadLetterId;
}

/** Every postal event names its item by `itemId` or `dossierRef` (the schema checked one is there). */
function itemOf(event: CloudEvent<unknown, PostalEventType>): { itemId?: string; dossierRef?: string } {
  const data = event.data as { itemId?: unknown; dossierRef?: unknown };
  return {
    ...(typeof data.itemId === 'string' ? { itemId: data.itemId } : {}),
    ...(typeof data.dossierRef === 'string' ? { dossierRef: data.dossierRef } : {}),
  };
}

function agencyCodeOf(event: CloudEvent<unknown, PostalEventType>): string | undefined {
  const code = (event.data as { agencyCode?: unknown }).agencyCode;
  return typeof code === 'string' ? code : undefined;
}
