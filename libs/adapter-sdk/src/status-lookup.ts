import { DossierStatus } from '@bridge/domain';
import { IntegrationError } from './integration-error';
import { canonicalStatus } from './mapping-engine';

/**
 * Which dossier to look up. Vendors find dossiers by their own code, so a status look-up
 * carries it; before filing (no code yet) the agency file says which of the bridge's ids the
 * agency finds a dossier by.
 */
export interface DossierLookupRef {
  /** The bridge id (the idempotency key of the filing). */
  bridgeId: string;
  /** The postal item the dossier came in (S10). */
  itemId?: string;
  /** The agency's own dossier code, once it gave one. */
  agencyDossierCode?: string;
}

/** A dossier's status as the agency reports it when asked (status by look-up). */
export interface LookedUpStatus {
  agencyDossierCode: string;
  /** The agency's own code, compared with the last one seen to notice a change. */
  agencyStatusCode: string;
  status: DossierStatus;
  /** When the agency says the status was set, ISO 8601; absent when it does not say. */
  at?: string;
  note?: string;
  appointmentDate?: string;
}

/** Which of the bridge's ids stands for the dossier before the agency gave its own code. */
export type LookupKey = 'bridgeId' | 'itemId';

/**
 * What look-up request mappings and REST paths receive: `dossierRef` is the agency's code when
 * known, else the id `lookupBy` names; the ids themselves are there too (`idempotencyKey` is the
 * bridge id, kept for agency files written before).
 */
export function lookupInput(ref: DossierLookupRef, lookupBy: LookupKey = 'bridgeId'): Record<string, string> {
  const before = lookupBy === 'itemId' ? ref.itemId : ref.bridgeId;
  const values: Record<string, string> = { idempotencyKey: ref.bridgeId, bridgeId: ref.bridgeId };
  if (ref.itemId) values.itemId = ref.itemId;
  if (ref.agencyDossierCode) values.agencyDossierCode = ref.agencyDossierCode;
  const dossierRef = ref.agencyDossierCode ?? before;
  if (dossierRef) values.dossierRef = dossierRef;
  return values;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function isoOrFail(value: unknown, field: string, mapping: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw IntegrationError.permanent(
      `mapping "${mapping}" gave ${field} ${JSON.stringify(value)}, not an ISO 8601 date (use $fromVendorDate)`,
    );
  return value;
}

/**
 * What a look-up response mapping produced, read as the dossier's current status. Null when the
 * agency has no such dossier; an answer without a status code, or with one the status table
 * does not know, is PERMANENT (the agency file needs fixing, asking again will not help).
 */
export function readLookedUpStatus(
  mapped: unknown,
  statusCodes: Record<string, DossierStatus>,
  mapping: string,
): LookedUpStatus | null {
  if (mapped === undefined || mapped === null) return null;
  if (typeof mapped !== 'object' || Array.isArray(mapped))
    throw IntegrationError.permanent(
      `mapping "${mapping}" must yield an object, got ${JSON.stringify(mapped)}`,
    );
  const record = mapped as Record<string, unknown>;
  const agencyDossierCode = text(record.agencyDossierCode);
  if (!agencyDossierCode) return null;
  const agencyStatusCode = text(record.statusCode);
  if (agencyStatusCode === undefined)
    throw IntegrationError.permanent(`mapping "${mapping}" gave no statusCode for ${agencyDossierCode}`);
  const found: LookedUpStatus = {
    agencyDossierCode,
    agencyStatusCode,
    status: canonicalStatus(agencyStatusCode, statusCodes),
  };
  const at = isoOrFail(record.at, 'at', mapping);
  const note = text(record.note);
  const appointmentDate = isoOrFail(record.appointmentDate, 'appointmentDate', mapping);
  if (at) found.at = at;
  if (note) found.note = note.slice(0, 2000);
  if (appointmentDate) found.appointmentDate = appointmentDate;
  return found;
}
