import { DossierStatus, PortalStatusCode } from '../lifecycle/dossier-status';
import { Address, Applicant, Dossier, DossierDocument, Fee, ServiceOption } from '../model/dossier';

/** Where and when the post did something. */
export interface PostalStamp {
  /** Postal office code or name where it happened. */
  office?: string;
  /** When it happened, ISO 8601 with offset. */
  at: string;
}

/** `postal.dossier.collected`: the whole dossier, as tallied at the counter or the applicant's door. */
export interface PostalDossierCollectedData extends PostalStamp {
  /** S10 id of the inbound shipment. */
  itemId: string;
  agencyCode: string;
  procedureCode: string;
  serviceOption: ServiceOption;
  applicant: Applicant;
  returnAddress?: Address;
  documents: DossierDocument[];
  fees: Fee[];
}

/**
 * Every other postal event names its dossier by a reference the post knows: the inbound or
 * result S10 id, or the bridge id / agency dossier code when the post has them.
 */
export interface PostalDossierRefData extends PostalStamp {
  itemId?: string;
  dossierRef?: string;
  /** For `postal.result.collected`: the S10 id of the result shipment. */
  resultItemId?: string;
  /** For delivery failures and cancellations: why. */
  reason?: string;
  /** For handed_over: the hand-over record (biên bản giao nhận) number. */
  handoverRecord?: string;
  /** For supplement.collected: the supplementary documents. */
  documents?: DossierDocument[];
}

/** `data` of every `dossier.<status>` event: enough for a consumer never to ask back. */
export interface DossierEventData {
  dossier: Dossier;
  previousStatus: DossierStatus | null;
  /**
   * The national portal's status code (1–10) of the new status, as provinces report it;
   * several statuses share one (result ready, collected and delivery failed are all 9).
   */
  portalStatusCode: PortalStatusCode;
  /** Per-dossier, gap-free, starting at 1: order and deduplicate by (dossier id, sequence). */
  sequence: number;
  /** What caused the change: the lifecycle event and, when known, the inbound event id. */
  cause: { event: string; eventId?: string; detail?: string };
}

/** `data` of `delivery.dead_lettered`. */
export interface DeadLetteredData {
  deadLetterId: string;
  agencyCode: string;
  dossierId?: string;
  operation: string;
  errorCode: string;
  reason: string;
  attempts: number;
}

/**
 * `data` of `postal.event_refused`: a postal event the bridge took in but refused (its agency
 * is not registered, the dossier cannot take that step). It waits as dead letter
 * `deadLetterId` and is replayed once the cause is mended.
 */
export interface PostalEventRefusedData {
  /** The postal item the refused event was about; at least one of `itemId` and `dossierRef` is there. */
  itemId?: string;
  /** The dossier reference the refused event named, when it named one. */
  dossierRef?: string;
  /** `id`, `source` and `type` of the refused CloudEvent. */
  eventId: string;
  eventSource: string;
  eventType: string;
  reason: string;
  deadLetterId: string;
  /** The dossier the event named, when the bridge has it. */
  dossierId?: string;
}

/** `data` of `agency.circuit_opened` / `agency.circuit_closed`. */
export interface CircuitData {
  agencyCode: string;
  state: 'open' | 'closed';
  consecutiveFailures?: number;
  reason?: string;
}

/**
 * `data` of `audit.checkpoint`: the state of the message log's chain at `at`, signed with
 * HMAC-SHA256 under the audit key. Kept outside the database, a checkpoint lets the log's
 * verifier tell that records were cut from its end.
 */
export interface AuditCheckpointData {
  /** Chained records at the time (after pruning: those still stored). */
  records: number;
  /** Id of the newest chained record. */
  lastId: string;
  /** Hash of that record (hex). */
  lastHash: string;
  /** When the checkpoint was taken (ISO-8601 UTC). */
  at: string;
  /** Hex HMAC-SHA256 over `records`, `lastId`, `lastHash` and `at`. */
  signature: string;
}
