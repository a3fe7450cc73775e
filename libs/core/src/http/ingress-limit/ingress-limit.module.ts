import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { INGRESS_THROTTLER, IngressThrottlerGuard, ingressRateLimit } from './ingress-throttler.guard';

/**
 * The ingress rate limit, per process (several gateways each allow the limit). Controllers opt
 * in with `@UseGuards(IngressThrottlerGuard)`.
 */
@Module({
  imports: [
    // Read at start-up (not at import), so a wrong value stops start-up naming the variable.
    ThrottlerModule.forRootAsync({
      useFactory: () => [{ name: INGRESS_THROTTLER, ttl: 60_000, limit: ingressRateLimit() }],
    }),
  ],
  providers: [IngressThrottlerGuard],
  exports: [ThrottlerModule, IngressThrottlerGuard],
})
export class IngressLimitModule {}
