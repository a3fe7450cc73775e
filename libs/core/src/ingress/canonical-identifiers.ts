/**
 * Identifier fields of postal events and how each is written canonically. Codes are often
 * typed with a Vietnamese or East-Asian IME (full-width digits) or pasted with spaces around
 * them; the domain's parsers read them through NFKC and trim, so the ingress stores them the
 * same way instead of refusing them. A code that is still wrong afterwards (a bad check
 * digit, eleven digits) is left for the validator, which names the rule it breaks.
 */
const IDENTIFIER_FIELDS: readonly { path: readonly string[]; upper: boolean }[] = [
  { path: ['itemId'], upper: true },
  { path: ['resultItemId'], upper: true },
  { path: ['dossierRef'], upper: false },
  { path: ['agencyCode'], upper: true },
  { path: ['procedureCode'], upper: true },
  { path: ['applicant', 'citizenId'], upper: false },
  { path: ['applicant', 'taxCode'], upper: false },
  { path: ['dossier', 'inboundItemId'], upper: true },
  { path: ['dossier', 'resultItemId'], upper: true },
  { path: ['dossier', 'applicant', 'citizenId'], upper: false },
  { path: ['dossier', 'applicant', 'taxCode'], upper: false },
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A copy of a postal CloudEvent whose identifier fields under `data` are NFKC, trimmed and (for
 * item ids and codes) upper case. Anything that is not an object with an object `data` is
 * returned as it is, for the validator to describe.
 */
export function canonicalIdentifiers(doc: unknown): unknown {
  if (!isObject(doc) || !isObject(doc.data)) return doc;
  const data: Record<string, unknown> = { ...doc.data };
  for (const { path, upper } of IDENTIFIER_FIELDS) {
    let parent: Record<string, unknown> = data;
    for (const key of path.slice(0, -1)) {
      const child = parent[key];
      if (!isObject(child)) {
        parent = {};
        break;
      }
      parent = parent[key] = { ...child };
    }
    const last = path[path.length - 1];
    const value = parent[last];
    if (typeof value !== 'string') continue;
    const canonical = value.normalize('NFKC').trim();
    if (canonical !== '') parent[last] = upper ? canonical.toUpperCase() : canonical;
  }
  return { ...doc, data };
}
