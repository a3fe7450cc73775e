import { HttpException, HttpStatus, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import { ApiKeyService, ApiPrincipal, KeyGuessingRefusedError } from '../api-keys';
import { decideAccess } from './access-decision';
import type { AuthenticatedRequest, RequiredRole } from './roles.decorator';

/** The message of every 401, whatever was wrong with the key (no hint for guessing). */
export const INVALID_API_KEY_MESSAGE = 'missing or invalid API key';

/** The message of a 429 answered to a client that sent too many wrong keys. */
export const TOO_MANY_WRONG_KEYS_MESSAGE = 'too many wrong API keys from this address; try again later';

/** The key of an `Authorization: Bearer <key>` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value)?.[1] : undefined;
}

/** The outcome of checking a caller's key against a route's roles. */
export type CallerCheck =
  | { kind: 'allowed'; principal: ApiPrincipal }
  | { kind: 'unauthenticated' }
  | { kind: 'throttled'; retryAfterSeconds: number }
  | { kind: 'forbidden'; reason: string };

/**
 * The one check of a caller's key, for every way in (the global guard, `/metrics`, the queue
 * board): authenticates `key` counting failures against `client`, then decides the role.
 */
export async function checkCaller(
  apiKeys: ApiKeyService,
  key: string | undefined,
  client: string | undefined,
  required: readonly RequiredRole[],
  routeAgencyCode?: string,
): Promise<CallerCheck> {
  let principal: ApiPrincipal | null = null;
  try {
    principal = key ? await apiKeys.authenticate(key, client ?? 'unknown') : null;
  } catch (error) {
    if (!(error instanceof KeyGuessingRefusedError)) throw error;
    return { kind: 'throttled', retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) };
  }
  if (!principal) return { kind: 'unauthenticated' };
  const decision = decideAccess(principal.role, required, routeAgencyCode);
  return decision.allowed ? { kind: 'allowed', principal } : { kind: 'forbidden', reason: decision.reason };
}

/**
 * {@link checkCaller} for a Nest route: attaches the principal to the request, or throws the
 * answer — 401 with `WWW-Authenticate: Bearer`, 429 with `Retry-After`, or 403 naming the role.
 */
export async function admitBearer(
  request: AuthenticatedRequest,
  response: Response,
  apiKeys: ApiKeyService,
  required: readonly RequiredRole[],
  routeAgencyCode?: string,
): Promise<void> {
  const key = bearerToken(request.headers.authorization);
  const outcome = await checkCaller(apiKeys, key, request.ip, required, routeAgencyCode);
  switch (outcome.kind) {
    case 'allowed':
      request.principal = outcome.principal;
      return;
    case 'unauthenticated':
      response.setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(INVALID_API_KEY_MESSAGE);
    case 'throttled':
      response.setHeader('Retry-After', String(outcome.retryAfterSeconds));
      throw new HttpException(TOO_MANY_WRONG_KEYS_MESSAGE, HttpStatus.TOO_MANY_REQUESTS);
    case 'forbidden':
      throw new ForbiddenException(outcome.reason);
  }
}
