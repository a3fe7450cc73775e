import { agencyCodeOfRole } from '../api-keys';
import type { RequiredRole } from './roles.decorator';

/** Whether a principal may call a route, and if not, a reason a person can act on. */
export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * The role check of every authenticated route, as a pure function.
 * - `admin` may do everything;
 * - a route with no required roles is admin-only;
 * - `operator` / `postal` pass when the route lists them;
 * - `agency:<code>` passes when the route lists `agency` and its `:code` is that agency's code
 *   (compared without case); another agency's route is refused.
 */
export function decideAccess(
  role: string,
  required: readonly RequiredRole[],
  routeAgencyCode?: string,
): AccessDecision {
  if (role === 'admin') return { allowed: true };
  const allowedList = ['admin', ...required.filter((r) => r !== 'admin')].map((r) =>
    r === 'agency' ? 'agency:<code>' : r,
  );
  const refuse = (what: string): AccessDecision => ({
    allowed: false,
    reason: `role ${role} may not ${what} (allowed: ${allowedList.join(', ')})`,
  });
  if (required.length === 0) return refuse('call this route');
  const agencyCode = agencyCodeOfRole(role);
  if (agencyCode === undefined) {
    const fixedRole = role === 'operator' || role === 'postal';
    return fixedRole && (required as readonly string[]).includes(role)
      ? { allowed: true }
      : refuse('call this route');
  }
  if (!required.includes('agency')) return refuse('call this route');
  if (routeAgencyCode === undefined) return refuse('call a route that names no agency');
  if (agencyCode.toUpperCase() !== routeAgencyCode.toUpperCase())
    return refuse(`act for agency ${routeAgencyCode}`);
  return { allowed: true };
}
