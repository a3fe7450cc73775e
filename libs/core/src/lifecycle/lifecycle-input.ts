import { Dossier, LifecycleEvent } from '@bridge/domain';

/** Who caused a lifecycle event. */
export type Origin = 'postal' | 'agency' | 'bridge' | 'operator';

/** Fields a lifecycle event may set on the dossier besides its status. */
export type DossierPatch = Partial<
  Pick<Dossier, 'agencyDossierCode' | 'appointmentDate' | 'resultItemId' | 'returnAddress' | 'documents'>
>;

/**
 * One lifecycle event to apply to one dossier: what happened, to which dossier, and what it
 * brings. `ref` names the dossier by any reference (bridge id, S10, agency dossier code);
 * creation events carry `create` instead.
 */
export interface LifecycleInput {
  event: LifecycleEvent;
  origin: Origin;
  /** When it happened (ISO 8601). */
  occurredAt: string;
  correlationId: string;
  /** The inbound event id that carried it, when there is one. */
  eventId?: string;
  ref?: string;
  /** Agency scope for agency dossier codes (two agencies may issue the same code). */
  agencyCode?: string;
  /** The new dossier, for creation events (without status, sequence, timestamps). */
  create?: Omit<Dossier, 'status' | 'sequence' | 'timestamps'>;
  patch?: DossierPatch;
  /** Free text for the timeline (a refusal's reason, the agency's note...). */
  detail?: string;
  /** Data the follow-up jobs need (supplement documents...). */
  data?: Record<string, unknown>;
}

/** What applying one input did. */
export type LifecycleOutcome =
  | { kind: 'applied'; dossierId: string; status: string; sequence: number }
  | { kind: 'noted'; dossierId: string; status: string }
  | { kind: 'parked'; dossierId?: string; reason: string }
  | { kind: 'refused'; dossierId?: string; reason: string };
