import {
  Dossier,
  DossierEventData,
  PORTAL_CODE_OF_STATUS,
  dossierEventType,
  DossierStatus,
} from '@bridge/domain';
import { DossierEntity, TimelineKind } from '@bridge/persistence';
import { bridgeEvent, deterministicUuid, eventRow, jobRow, OutboxRow } from '../outbox/outbox-writer';
import { TimelineColumns } from './change-statement';
import { LifecycleInput } from './lifecycle-input';
import { reactionsTo } from './reactions';

/** A dossier moved to a new status, and what that writes besides the dossier. */
export interface Transition {
  /** The dossier as it stands now (the held entity, changed in place, or a new one). */
  entity: DossierEntity;
  timeline: TimelineColumns;
  /** The normalized event, then the follow-up jobs. */
  outbox: OutboxRow[];
  sequence: number;
}

/**
 * Moves a dossier (or creates it) to `to` as `input` says: the snapshot takes the input's
 * patch, the next sequence and the time of the new status; the normalized event is keyed by
 * dossier and sequence, so writing it twice is harmless.
 */
export function transition(
  existing: DossierEntity | null,
  input: LifecycleInput,
  to: DossierStatus,
): Transition {
  const previous = existing?.snapshot ?? null;
  const sequence = (previous?.sequence ?? 0) + 1;
  const base: Dossier = previous ?? { ...input.create!, status: to, sequence: 0, timestamps: {} };
  const dossier: Dossier = {
    ...base,
    ...stripUndefined(input.patch ?? {}),
    status: to,
    sequence,
    timestamps: { ...base.timestamps, [to]: input.occurredAt },
  };
  const entity = Object.assign(existing ?? new DossierEntity(), {
    id: dossier.id,
    inboundItemId: dossier.inboundItemId ?? null,
    resultItemId: dossier.resultItemId ?? null,
    agencyCode: dossier.agencyCode,
    procedureCode: dossier.procedureCode,
    agencyDossierCode: dossier.agencyDossierCode ?? null,
    serviceOption: dossier.serviceOption,
    status: to,
    sequence,
    appointmentDate: dossier.appointmentDate ? new Date(dossier.appointmentDate) : null,
    snapshot: dossier,
  });
  const data: DossierEventData = {
    dossier,
    previousStatus: previous?.status ?? null,
    portalStatusCode: PORTAL_CODE_OF_STATUS[to],
    sequence,
    cause: { event: input.event, eventId: input.eventId, detail: input.detail },
  };
  const event = bridgeEvent(dossierEventType(to), deterministicUuid(`${dossier.id}:${sequence}`), data, {
    subject: dossier.id,
    time: input.occurredAt,
    correlationId: input.correlationId,
  });
  const timeline = timelineLine(dossier.id, 'status', input, {
    from: previous?.status ?? null,
    to,
    sequence,
    detail: input.detail,
  });
  return {
    entity,
    timeline,
    outbox: [eventRow(event, dossier.id), ...reactionsTo(input, dossier).map(jobRow)],
    sequence,
  };
}

/** What caused a timeline line. */
export type TimelineCause = Pick<LifecycleInput, 'event' | 'origin' | 'eventId' | 'occurredAt'>;
type TimelineExtra = { from?: string | null; to?: string; sequence?: number; detail?: string };

/** One line of a dossier's timeline. */
export function timelineLine(
  dossierId: string,
  kind: TimelineKind,
  input: TimelineCause,
  extra: TimelineExtra,
): TimelineColumns {
  return {
    dossierId,
    kind,
    event: input.event,
    origin: input.origin,
    fromStatus: extra.from ?? null,
    toStatus: extra.to ?? null,
    sequence: extra.sequence ?? null,
    eventId: input.eventId ?? null,
    detail: extra.detail ?? null,
    occurredAt: new Date(input.occurredAt).toISOString(),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
