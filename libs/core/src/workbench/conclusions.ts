import { AgencyReceipt, AgencyStatusChange } from '@bridge/adapter-sdk';

/**
 * What the bridge concludes from a receipt, in the terms an operator checks: the agency's
 * dossier code, the appointment date, the status. Undefined fields are left out so that a
 * mapping which stops yielding a field shows as a change of that field.
 */
export function receiptConclusion(receipt: AgencyReceipt | null): unknown {
  if (!receipt) return { found: false };
  return compact({
    agencyDossierCode: receipt.agencyDossierCode,
    appointmentDate: receipt.appointmentDate,
    receivedAt: receipt.receivedAt,
    status: receipt.status,
  });
}

/** What the bridge concludes from one status change: which dossier, what status, when, why. */
export function changeConclusion(change: AgencyStatusChange): unknown {
  return compact({
    dossier: change.bridgeId ?? change.agencyDossierCode,
    agencyStatusCode: change.agencyStatusCode,
    status: change.status,
    at: change.at,
    note: change.note,
    appointmentDate: change.appointmentDate,
  });
}

/** The dossier a conclusion is about, when it names one. */
export function dossierOf(conclusion: unknown): string | undefined {
  if (!conclusion || typeof conclusion !== 'object') return undefined;
  const c = conclusion as { dossier?: unknown; agencyDossierCode?: unknown };
  const ref = c.dossier ?? c.agencyDossierCode;
  return typeof ref === 'string' ? ref : undefined;
}

function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
