import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ApiKeyService } from '../api-keys';
import { admitBearer } from './caller-check';
import { AuthenticatedRequest, PUBLIC_KEY, ROLES_KEY, RequiredRole } from './roles.decorator';

/**
 * Global guard of the HTTP API. `@Public()` routes pass. Otherwise a missing, malformed,
 * unknown or revoked key is answered 401 with `WWW-Authenticate: Bearer`; a client over the
 * wrong-key limit 429 with `Retry-After`; a known key whose role the route does not accept
 * (`decideAccess`) 403 naming the role. The accepted principal is attached as
 * `request.principal`.
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
    const required = this.reflector.getAllAndOverride<RequiredRole[] | undefined>(ROLES_KEY, targets) ?? [];
    const code = (request.params as Record<string, unknown> | undefined)?.code;
    await admitBearer(
      request,
      http.getResponse<Response>(),
      this.apiKeys,
      required,
      typeof code === 'string' ? code : undefined,
    );
    return true;
  }
}
