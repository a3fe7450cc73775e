import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ApiKeyService } from '../api-keys';
import { decideAccess } from './access-decision';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY, RequiredRole } from './roles.decorator';

/** The message of every 401, whatever was wrong with the key (no hint for guessing). */
export const INVALID_API_KEY_MESSAGE = 'missing or invalid API key';

/** The key of an `Authorization: Bearer <key>` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value)?.[1] : undefined;
}

/**
 * Global guard of the HTTP API. `@Public()` routes pass. Otherwise a missing, malformed,
 * unknown or revoked key is answered 401 with `WWW-Authenticate: Bearer`; a known key whose
 * role the route does not accept ({@link decideAccess}) is answered 403 naming the role. The
 * accepted principal is attached as `request.principal`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyService) private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // API keys protect HTTP; message consumers are authenticated by the broker.
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const key = bearerToken(request.headers.authorization);
    const principal = key ? await this.apiKeys.authenticate(key) : null;
    if (!principal) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(INVALID_API_KEY_MESSAGE);
    }
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<RequiredRole[] | undefined>(ROLES_KEY, targets) ?? [];
    const code = (request.params as Record<string, unknown> | undefined)?.code;
    const decision = decideAccess(principal.role, required, typeof code === 'string' ? code : undefined);
    if (!decision.allowed) throw new ForbiddenException(decision.reason);
    return true;
  }
}
