/** The fixed roles of an API key; agency keys carry their agency code as `agency:<code>`. */
export const FIXED_API_ROLES = ['admin', 'operator', 'postal'] as const;

/** `admin`, `operator`, `postal`, or `agency:<code>` (may call back for that agency only). */
export type ApiRole = (typeof FIXED_API_ROLES)[number] | `agency:${string}`;

/** The forms a role may take, as shown to a person who typed a wrong one. */
export const VALID_ROLE_FORMS = 'admin, operator, postal, agency:<code> (agency code non-empty, no spaces)';

/** A role string that is none of the valid forms. */
export class InvalidApiRoleError extends Error {
  constructor(readonly role: string) {
    super(`invalid role "${role}": expected one of ${VALID_ROLE_FORMS}`);
    this.name = 'InvalidApiRoleError';
  }
}

/** True when `role` is one of the valid forms. */
export function isApiRole(role: string): role is ApiRole {
  if ((FIXED_API_ROLES as readonly string[]).includes(role)) return true;
  return /^agency:\S+$/.test(role);
}

/** Returns `role` typed as {@link ApiRole}, or throws {@link InvalidApiRoleError}. */
export function parseApiRole(role: string): ApiRole {
  if (!isApiRole(role)) throw new InvalidApiRoleError(role);
  return role;
}

/** The agency code of an `agency:<code>` role, undefined for the other roles. */
export function agencyCodeOfRole(role: string): string | undefined {
  return role.startsWith('agency:') ? role.slice('agency:'.length) : undefined;
}
