/**
 * Masks for logs: citizen id numbers and phone numbers never appear in full
 * (docs/security.md). What stays visible is enough to tell two records apart while debugging
 * and too little to identify a person.
 */

/**
 * Keeps the first four characters of a citizen id (province and century/sex) and masks the
 * rest: `001089012345` → `0010********`. Anything shorter than 8 characters is masked entirely.
 */
export function maskCitizenId(value: string | null | undefined): string {
  if (!value) return '';
  const text = value.trim();
  if (text.length < 8) return '*'.repeat(text.length);
  return text.slice(0, 4) + '*'.repeat(text.length - 4);
}

/**
 * Keeps the first two and the last two digits of a phone number and masks the others:
 * `0912345689` → `09******89`. Separators are dropped; a leading `+` is kept. Numbers with
 * fewer than 7 digits are masked entirely.
 */
export function maskPhone(value: string | null | undefined): string {
  if (!value) return '';
  const text = value.trim();
  const plus = text.startsWith('+') ? '+' : '';
  const digits = text.replace(/\D/g, '');
  if (digits.length < 7) return plus + '*'.repeat(digits.length);
  return plus + digits.slice(0, 2) + '*'.repeat(digits.length - 4) + digits.slice(-2);
}
