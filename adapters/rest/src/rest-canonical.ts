import { AgencyReceipt, AgencyStatusChange, canonicalStatus, IntegrationError } from '@bridge/adapter-sdk';
import { DossierStatus } from '@bridge/domain';

type Table = Record<string, DossierStatus>;

function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Turns what the `submitResponse` / `lookupResponse` mapping produced into a receipt.
 * Null, undefined or an object without a dossier code means "the agency has none" (lookup).
 */
export function toReceipt(mapped: unknown, statusCodes: Table, mappingName: string): AgencyReceipt | null {
  if (mapped === undefined || mapped === null) return null;
  if (typeof mapped !== 'object' || Array.isArray(mapped)) {
    throw IntegrationError.permanent(
      `mapping "${mappingName}" must yield an object, got ${JSON.stringify(mapped)}`,
    );
  }
  const m = mapped as Record<string, unknown>;
  const agencyDossierCode = text(m.agencyDossierCode);
  if (!agencyDossierCode) return null;
  const statusCode = text(m.statusCode);
  return {
    agencyDossierCode,
    appointmentDate: text(m.appointmentDate),
    receivedAt: text(m.receivedAt),
    status: statusCode === undefined ? undefined : canonicalStatus(statusCode, statusCodes),
  };
}

/**
 * Turns what the `statusChange` mapping produced for one agency record into a canonical
 * change; the agency's code goes through the status table, unknown codes are PERMANENT.
 */
export function toStatusChange(mapped: unknown, statusCodes: Table): AgencyStatusChange {
  if (!mapped || typeof mapped !== 'object' || Array.isArray(mapped)) {
    throw IntegrationError.permanent(
      `mapping "statusChange" must yield an object, got ${JSON.stringify(mapped)}`,
    );
  }
  const m = mapped as Record<string, unknown>;
  const agencyStatusCode = text(m.statusCode);
  const at = text(m.at);
  if (agencyStatusCode === undefined) throw IntegrationError.permanent('status change has no statusCode');
  if (at === undefined) throw IntegrationError.permanent('status change has no time (at)');
  const change: AgencyStatusChange = {
    bridgeId: text(m.bridgeId),
    agencyDossierCode: text(m.agencyDossierCode),
    status: canonicalStatus(agencyStatusCode, statusCodes),
    agencyStatusCode,
    at,
    note: text(m.note),
    appointmentDate: text(m.appointmentDate),
    changeId: text(m.changeId),
  };
  if (!change.bridgeId && !change.agencyDossierCode) {
    throw IntegrationError.permanent('status change names neither the bridge id nor the agency dossier code');
  }
  if (m.registration && typeof m.registration === 'object') {
    change.registration = m.registration as AgencyStatusChange['registration'];
  }
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as AgencyStatusChange;
}
