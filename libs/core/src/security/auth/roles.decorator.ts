import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiPrincipal } from '../api-keys';

/**
 * A role a route accepts. `agency` means a key of role `agency:<code>` whose code equals the
 * route's `:code` parameter. `admin` may call every route whether listed or not.
 */
export type RequiredRole = 'admin' | 'operator' | 'postal' | 'agency';

/** Metadata key of {@link Roles}. */
export const ROLES_KEY = 'bridge:roles';
/** Metadata key of {@link Public}. */
export const PUBLIC_KEY = 'bridge:public';

/**
 * The roles that may call a route (handler or whole controller; the handler's list wins).
 * A route without `@Roles` and without `@Public` is admin-only, so forgetting it fails closed.
 */
export const Roles = (...roles: RequiredRole[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without a key (health probes). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** An express request after {@link ApiKeyGuard} accepted it. */
export type AuthenticatedRequest = Request & { principal?: ApiPrincipal };

/** Handler parameter: the principal the guard attached to the request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ApiPrincipal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
