import { DossierStatus } from '../lifecycle/dossier-status';

/** Which legs the post carries: the dossier to the agency, the result back, or both. */
export const SERVICE_OPTIONS = ['send', 'return', 'both'] as const;
export type ServiceOption = (typeof SERVICE_OPTIONS)[number];

/** A postal address, in the pre-2025 three-level or the post-2025 two-level form. */
export interface Address {
  /** House number, street, hamlet — free text, NFC. */
  line: string;
  /** Ward / commune name, and its 5-digit code when known. */
  commune?: string;
  communeCode?: string;
  /** District name; absent in the two-level structure (since 1 July 2025). */
  district?: string;
  province: string;
  provinceCode?: string;
}

export interface PersonApplicant {
  kind: 'person';
  fullName: string;
  /** CCCD: 12 digits. */
  citizenId: string;
  phone: string;
  email?: string;
  address: Address;
}

export interface OrganizationApplicant {
  kind: 'organization';
  name: string;
  /** MST: 10 digits, 13 for a branch (`XXXXXXXXXX-NNN`), or a 12-digit personal id. */
  taxCode: string;
  representative?: string;
  phone: string;
  email?: string;
  address: Address;
}

export type Applicant = PersonApplicant | OrganizationApplicant;

/** One document in the dossier, as tallied and listed by the postal worker. */
export interface DossierDocument {
  name: string;
  /** Original (bản chính) or copy (bản sao). */
  form: 'original' | 'copy';
  count: number;
}

/** A fee or charge collected by the post on the agency's behalf, in VND. */
export interface Fee {
  name: string;
  amount: number;
  currency: 'VND';
}

/** When each step happened, ISO 8601 with offset. */
export type DossierTimestamps = Partial<Record<DossierStatus, string>>;

/**
 * A dossier as the bridge knows it: the snapshot carried by every normalized event.
 */
export interface Dossier {
  /** The bridge id (UUID): idempotency key of every agency submission. */
  id: string;
  /** UPU S10 id of the inbound shipment (absent for "return the result only"). */
  inboundItemId?: string;
  /** UPU S10 id of the result shipment, once the post collects the result. */
  resultItemId?: string;
  agencyCode: string;
  procedureCode: string;
  /** The agency's own dossier code, once it has issued one. */
  agencyDossierCode?: string;
  serviceOption: ServiceOption;
  applicant: Applicant;
  /** Where the result goes; required when the post returns it. */
  returnAddress?: Address;
  documents: DossierDocument[];
  fees: Fee[];
  /** Appointment date (ngày hẹn trả) from the agency's receipt, ISO 8601. */
  appointmentDate?: string;
  status: DossierStatus;
  /** Per-dossier sequence of the last normalized event. */
  sequence: number;
  timestamps: DossierTimestamps;
}

/** Whether a dossier's result came on time: derived from the appointment date, not a status. */
export type Punctuality = 'early' | 'on_time' | 'late' | 'pending';

/**
 * Derives punctuality from the appointment date and the date the result was ready.
 * A dossier without an appointment date is pending; one past its date and not finished is late.
 */
export function punctuality(
  dossier: Pick<Dossier, 'appointmentDate' | 'timestamps'>,
  now: Date = new Date(),
): Punctuality {
  if (!dossier.appointmentDate) return 'pending';
  const due = new Date(dossier.appointmentDate).getTime();
  const finishedAt = dossier.timestamps.result_ready ?? dossier.timestamps.completed;
  if (!finishedAt) return now.getTime() > due ? 'late' : 'pending';
  const finished = new Date(finishedAt).getTime();
  const dueDay = new Date(dossier.appointmentDate).toISOString().slice(0, 10);
  const finishedDay = new Date(finishedAt).toISOString().slice(0, 10);
  if (finished > due && finishedDay !== dueDay) return 'late';
  return finishedDay < dueDay ? 'early' : 'on_time';
}
