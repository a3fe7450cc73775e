import { Address, Applicant, Dossier, maskCitizenId, maskPhone } from '@bridge/domain';

/** What stands in for a purged free-text field (a street line). */
export const PURGED_TEXT = '***';

/** `Nguyễn Văn An` → `N. V. A.`: enough to tell dossiers apart, too little to identify anyone. */
function initials(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${[...word][0]}.`)
    .join(' ');
}

/** Keeps the domain (which agency or provider), not the person: `an@mail.vn` → `***@mail.vn`. */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? `${PURGED_TEXT}${email.slice(at)}` : PURGED_TEXT;
}

/** The street line goes; commune, district and province stay for statistics. */
function maskAddress(address: Address): Address {
  return { ...address, line: PURGED_TEXT };
}

function maskApplicant(applicant: Applicant): Applicant {
  const common = {
    phone: maskPhone(applicant.phone),
    address: maskAddress(applicant.address),
    ...(applicant.email !== undefined ? { email: maskEmail(applicant.email) } : {}),
  };
  if (applicant.kind === 'person') {
    return {
      ...applicant,
      ...common,
      fullName: initials(applicant.fullName),
      citizenId: maskCitizenId(applicant.citizenId),
    };
  }
  return {
    ...applicant,
    ...common,
    // A 12-digit tax code is a person's id number (household businesses); an MST is the firm's.
    taxCode: /^\d{12}$/.test(applicant.taxCode) ? maskCitizenId(applicant.taxCode) : applicant.taxCode,
    ...(applicant.representative !== undefined ? { representative: initials(applicant.representative) } : {}),
  };
}

/**
 * A finished dossier's snapshot with the applicant's personal data masked for good: id
 * number, phone, e-mail and name reduced to what tells records apart, street lines of the
 * applicant's and the return address replaced. Status, dates, documents and fees stay, so the
 * dossier still counts in statistics and its history still reads.
 */
export function withoutPersonalData(dossier: Dossier): Dossier {
  return {
    ...dossier,
    applicant: maskApplicant(dossier.applicant),
    ...(dossier.returnAddress ? { returnAddress: maskAddress(dossier.returnAddress) } : {}),
  };
}
