import { Address, Applicant, Dossier, DossierStatus, DossierDocument } from '@bridge/domain';
import { DossierLookupRef, LookedUpStatus } from './status-lookup';

/** What the bridge files at an agency: the dossier and the key that makes filing idempotent. */
export interface DossierSubmission {
  /** The bridge id of the dossier. The agency (or the adapter) must never file the same key twice. */
  idempotencyKey: string;
  dossier: Dossier;
}

/** The agency's receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả). */
export interface AgencyReceipt {
  /** The agency's own dossier code. */
  agencyDossierCode: string;
  /** Appointment date (ngày hẹn trả), ISO 8601. */
  appointmentDate?: string;
  /** When the agency received it, ISO 8601. */
  receivedAt?: string;
  /** The status the agency reports right now (usually `received`). */
  status?: DossierStatus;
}

/** A status change an agency reports, by polling, by callback or in a status file. */
export interface AgencyStatusChange {
  /** The bridge id when the agency echoes it back. */
  bridgeId?: string;
  /** The agency's dossier code; at least one of bridgeId / agencyDossierCode is present. */
  agencyDossierCode?: string;
  /** The canonical status, mapped through the agency's status-code table. */
  status: DossierStatus;
  /** The agency's own code, kept for the timeline. */
  agencyStatusCode: string;
  /** When it happened, ISO 8601. */
  at: string;
  /** Free text from the agency (reason for refusal, what to supplement...). NFC. */
  note?: string;
  appointmentDate?: string;
  /** For a dossier that enters from the agency's side ("return the result only"). */
  registration?: AgencyRegistration;
  /** Stable id of this change at the agency, when it has one, to deduplicate. */
  changeId?: string;
}

/** A dossier handed in at the agency whose result the post returns. */
export interface AgencyRegistration {
  procedureCode: string;
  applicant: Applicant;
  returnAddress: Address;
  documents?: DossierDocument[];
}

/** Sent to the agency once the post delivered the result. */
export interface DeliveryNotice {
  idempotencyKey: string;
  agencyDossierCode: string;
  resultItemId?: string;
  deliveredAt: string;
}

/** Supplementary documents the post collected after the agency asked for them. */
export interface SupplementSubmission {
  idempotencyKey: string;
  agencyDossierCode: string;
  documents: DossierDocument[];
  collectedAt: string;
}

/** An HTTP push from an agency, as the gateway received it. */
export interface InboundCallback {
  headers: Record<string, string | undefined>;
  /** The raw body bytes: signatures are computed over them. */
  rawBody: Buffer;
  contentType?: string;
}

/** One message exchanged with an agency, for the hash-chained message log (secrets redacted). */
export interface ExchangedMessage {
  direction: 'outbound' | 'inbound';
  operation: string;
  endpoint?: string;
  status?: number | string;
  body: string;
  durationMs?: number;
}

/** Everything an adapter call gets besides its arguments. */
export interface CallContext {
  /** Carried from the postal event through jobs, agency calls and normalized events. */
  correlationId: string;
  /** Dry run: check without filing anything real (the live conformance check). */
  dryRun?: boolean;
  signal?: AbortSignal;
  /** Appends a message to the message log; adapters call it for every request and response. */
  record(message: ExchangedMessage): void;
}

/** Result of a health probe. */
export interface ProbeResult {
  ok: boolean;
  detail: string;
  latencyMs?: number;
}

/** A record the agency sent that could not be used (a bad CSV row, an unmappable status). */
export interface RejectedRecord {
  /** Where it came from, e.g. the file name. */
  source: string;
  /** 1-based line number when the source is a file. */
  line?: number;
  reason: string;
  raw: string;
  /**
   * The record as read (a CSV row by column name; a polled record as the `statusChange` mapping
   * received it), when the adapter can read it again with a later agency file (`readRejected`):
   * kept whole in the dead letter for a replay (masked only where the dead letter is shown).
   */
  record?: Record<string, unknown>;
  /** The id its change would have had, so a replayed record is still applied once. */
  changeId?: string;
}

/** A page of status changes and where to continue. */
export interface PollResult {
  changes: AgencyStatusChange[];
  /** Records that could not be used; the bridge dead-letters them with their reason. */
  rejected?: RejectedRecord[];
  /** Opaque cursor for the next poll; unchanged when nothing new. */
  cursor?: string;
  /**
   * More changes are ready right now than one page holds (a large status file read page by
   * page): once this page is committed the bridge polls again at once instead of waiting for
   * the next poll interval. Adapters keep their pages bounded and set this, rather than
   * returning everything in one page.
   */
  more?: boolean;
  /**
   * Called by the bridge after it committed the changes (ack after commit): the adapter may
   * then archive files or advance what it considers consumed. Until then a crash means the same
   * changes come again, and the bridge deduplicates them by `changeId`.
   */
  commit?: () => Promise<void>;
}

/**
 * The contract every adapter kind implements. Methods throw {@link IntegrationError} only.
 * Adapters are plain classes: no Nest, no database — the bridge gives them what they need.
 */
export interface AgencyAdapter {
  /** Files a dossier and returns the agency's receipt. Idempotent on `idempotencyKey`. */
  submit(submission: DossierSubmission, ctx: CallContext): Promise<AgencyReceipt>;
  /** Finds a dossier filed earlier under the bridge id; null when the agency has none. */
  lookup(idempotencyKey: string, ctx: CallContext): Promise<AgencyReceipt | null>;
  /**
   * Asks the agency for one dossier's current status (agencies whose status comes by look-up,
   * `adapter.statusLookup`); null when the agency has no such dossier. Kinds that cannot look
   * a dossier up leave it out.
   */
  lookupStatus?(ref: DossierLookupRef, ctx: CallContext): Promise<LookedUpStatus | null>;
  /** Whether the agency takes supplementary documents (false: the post's are an operations task). */
  readonly takesSupplements?: boolean;
  /**
   * Reads again, with the current agency file, a record set aside earlier (an unknown status
   * code before the status table was fixed); throws PERMANENT when it is still unusable.
   */
  readRejected?(record: RejectedRecord): Promise<AgencyStatusChange>;
  /** Sends supplementary documents for a dossier the agency asked to complete. */
  submitSupplement(supplement: SupplementSubmission, ctx: CallContext): Promise<void>;
  /** Tells the agency the result reached the applicant. */
  notifyDelivered(notice: DeliveryNotice, ctx: CallContext): Promise<void>;
  /** Pulls status changes since `cursor`; adapters that only receive callbacks return none. */
  poll(cursor: string | undefined, ctx: CallContext): Promise<PollResult>;
  /** Decodes and verifies an agency's push; throws AUTH when the signature or key is wrong. */
  parseCallback(callback: InboundCallback, ctx: CallContext): Promise<AgencyStatusChange[]>;
  /** A cheap health check that files nothing. */
  probe(ctx: CallContext): Promise<ProbeResult>;
  /** Releases connections, timers, file handles. */
  close(): Promise<void>;
}
