import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ApiPrincipal } from '../../security';

/** Name of the ingress throttler. */
export const INGRESS_THROTTLER = 'ingress';

/** Requests per minute one caller may send to the ingress, from `BRIDGE_INGRESS_RATE_LIMIT`. */
export function ingressRateLimit(env: Record<string, string | undefined> = process.env): number {
  const raw = env.BRIDGE_INGRESS_RATE_LIMIT?.trim();
  if (raw === undefined || raw === '') return 12_000;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(
      `BRIDGE_INGRESS_RATE_LIMIT must be a positive integer (requests per minute per key), got "${raw}"`,
    );
  }
  return limit;
}

/**
 * Rate limiting of the ingress (postal events, tracking events, agency pushes), counted per API
 * key — the API-key guard has already identified the caller — so one noisy sender cannot starve
 * the others. Over the limit: 429 with Retry-After.
 */
@Injectable()
export class IngressThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = req.principal as ApiPrincipal | undefined;
    if (principal) return `key:${principal.keyId ?? principal.name}`;
    return `ip:${typeof req.ip === 'string' ? req.ip : 'unknown'}`;
  }
}
