import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { admitBearer, ApiKeyService, AuthenticatedRequest } from '../security';

/** How `/metrics` is protected. */
export interface MetricsAccessOptions {
  /** BRIDGE_METRICS_PUBLIC=true: Prometheus may scrape without a key. */
  public: boolean;
}

export const METRICS_ACCESS_OPTIONS = Symbol('METRICS_ACCESS_OPTIONS');

/**
 * Reads BRIDGE_METRICS_PUBLIC: `true` opens `/metrics` to scrapes without a key (a network where
 * only Prometheus reaches the port); unset or `false` keeps it behind an operator key. Any
 * other value stops start-up with a message naming the variable.
 */
export function metricsAccessFromEnv(env: NodeJS.ProcessEnv = process.env): MetricsAccessOptions {
  const raw = (env.BRIDGE_METRICS_PUBLIC ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false') return { public: false };
  if (raw === 'true') return { public: true };
  throw new Error(`BRIDGE_METRICS_PUBLIC must be "true" or "false", got "${env.BRIDGE_METRICS_PUBLIC}"`);
}

/**
 * Guards `/metrics` (marked `@Public()` so the global guard lets it through): with
 * BRIDGE_METRICS_PUBLIC=true anyone may scrape; otherwise it answers exactly as the global
 * guard would for an operator route — 401 without a valid key, 403 for a role other than
 * admin or operator.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(
    @Inject(METRICS_ACCESS_OPTIONS) private readonly options: MetricsAccessOptions,
    @Inject(ApiKeyService) private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.options.public) return true;
    const http = context.switchToHttp();
    await admitBearer(http.getRequest<AuthenticatedRequest>(), http.getResponse<Response>(), this.apiKeys, [
      'operator',
    ]);
    return true;
  }
}
