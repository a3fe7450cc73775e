import {
  AgencyReceipt,
  AgencyStatusChange,
  canonicalStatus,
  IntegrationError,
  MappingContext,
} from '@bridge/adapter-sdk';
import { DossierStatus } from '@bridge/domain';

function isoOrFail(value: unknown, field: string, mapping: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw IntegrationError.permanent(
      `mapping "${mapping}" gave ${field} ${JSON.stringify(value)}, not an ISO 8601 date (use $fromVendorDate)`,
    );
  }
  return value;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A scalar as text; absent, empty and structured values give undefined. */
export function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/**
 * Turns what a submitResponse / lookupResponse mapping produced into a receipt. Returns null
 * when the mapping produced nothing or no dossier code and `allowEmpty` (a look-up miss).
 */
export function toReceipt(
  mapped: unknown,
  mapping: string,
  context: MappingContext,
  allowEmpty: boolean,
): AgencyReceipt | null {
  const record = asRecord(mapped);
  const code = optionalString(record?.agencyDossierCode);
  if (!record || !code) {
    if (allowEmpty) return null;
    throw IntegrationError.permanent(
      `mapping "${mapping}" gave no agencyDossierCode (got ${JSON.stringify(mapped)})`,
    );
  }
  const statusCode = optionalString(record.statusCode);
  return {
    agencyDossierCode: code,
    appointmentDate: isoOrFail(record.appointmentDate, 'appointmentDate', mapping),
    receivedAt: isoOrFail(record.receivedAt, 'receivedAt', mapping),
    status: statusCode === undefined ? undefined : canonicalStatus(statusCode, context.statusCodes),
  };
}

/** Turns what a statusChange mapping produced for one agency record into a status change. */
export function toStatusChange(mapped: unknown, context: MappingContext): AgencyStatusChange {
  const record = asRecord(mapped);
  if (!record)
    throw IntegrationError.permanent(`mapping "statusChange" gave ${JSON.stringify(mapped)}, not an object`);
  const agencyDossierCode = optionalString(record.agencyDossierCode);
  const bridgeId = optionalString(record.bridgeId);
  if (!agencyDossierCode && !bridgeId) {
    throw IntegrationError.permanent('mapping "statusChange" gave neither agencyDossierCode nor bridgeId');
  }
  const agencyStatusCode = optionalString(record.statusCode);
  if (agencyStatusCode === undefined)
    throw IntegrationError.permanent('mapping "statusChange" gave no statusCode');
  const status: DossierStatus = canonicalStatus(agencyStatusCode, context.statusCodes);
  const at = isoOrFail(record.at, 'at', 'statusChange');
  if (!at) throw IntegrationError.permanent('mapping "statusChange" gave no `at` (when the change happened)');
  return {
    bridgeId,
    agencyDossierCode,
    status,
    agencyStatusCode,
    at,
    note: optionalString(record.note),
    appointmentDate: isoOrFail(record.appointmentDate, 'appointmentDate', 'statusChange'),
    changeId: optionalString(record.changeId),
    registration: asRecord(record.registration) as AgencyStatusChange['registration'],
  };
}

/** A list from a node that XML may have given as one object, a list, or nothing. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}
