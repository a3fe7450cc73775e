/** How one replayed message came out under the candidate file, against the file in force. */
export type ReplayOutcome = 'same' | 'changed' | 'nowFailing' | 'nowPassing' | 'stillFailing';

/** The outcomes, in the order reports list them. */
export const REPLAY_OUTCOMES: readonly ReplayOutcome[] = [
  'same',
  'changed',
  'nowFailing',
  'nowPassing',
  'stillFailing',
];

/** One field that differs between then and now (`path` in the mapping's output). */
export interface FieldChange {
  path: string;
  then: unknown;
  now: unknown;
}

/** One replayed message, kept as an example of its outcome. */
export interface ReplayExample {
  /** The message-log record replayed. */
  logId: string;
  /** The dossier concerned, when known (bridge id, else the agency's dossier code). */
  dossier?: string;
  /** What the bridge sent or concluded then: a request body, a receipt or status changes. */
  then?: unknown;
  /** What it would send or conclude with the candidate file. */
  now?: unknown;
  /** Fields that differ (changed outcomes). */
  fields?: FieldChange[];
  /** The error of the side that failed. */
  error?: string;
}

/** The tally of one mapping. */
export interface MappingSummary {
  mapping: string;
  /** Messages replayed through it. */
  replayed: number;
  counts: Record<ReplayOutcome, number>;
  /** The first few examples of each outcome but `same`. */
  examples: Partial<Record<ReplayOutcome, ReplayExample[]>>;
  /**
   * Evaluations of this mapping of the candidate file that the synchronous JSONata subset
   * handed to JSONata while replaying (0: all evaluated by the fast path).
   */
  fallbacks?: number;
}

/** What `agencies diff` and the preview endpoint answer. */
export interface WorkbenchReport {
  agencyCode: string;
  /** Spec version the candidate is compared with. */
  inForceVersion: number;
  since: string;
  /** Message-log records read (both directions). */
  messagesRead: number;
  mappings: MappingSummary[];
  /** Dossiers whose conclusion changes (bounded; `dossiersChangedTotal` counts all). */
  dossiersChanged: string[];
  dossiersChangedTotal: number;
  /**
   * Fields whose values the message log holds masked (citizen ids, phone numbers): they are
   * compared in their masked form only, so a change hidden by the mask is not seen.
   */
  maskedFields: string[];
  /** What was and was not compared for every agency of this kind (e.g. an iGate file has no mappings). */
  notes: string[];
  /** Messages that could not be replayed, and why (operation → reason). */
  notReplayed: Record<string, string>;
  /** True when something the file in force handles fails with the candidate. */
  failing: boolean;
  elapsedMs: number;
}
