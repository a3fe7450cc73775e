import { Global, Module } from '@nestjs/common';
import { BridgeMetrics } from './bridge-metrics';
import { DeliveryStats } from './delivery-stats';
import { METRICS_ACCESS_OPTIONS, MetricsAccessGuard, metricsAccessFromEnv } from './metrics-access.guard';
import { MetricsCollector } from './metrics-collector';
import { MetricsController } from './metrics.controller';
import { OpsHistoryRecorder } from './ops-history-sampler';

/**
 * Metrics of one process: the Prometheus registry ({@link BridgeMetrics}), the shared delivery
 * statistics ({@link DeliveryStats}), the history of the dashboard's charts (sampled on workers)
 * and `GET /metrics`. Global, so the delivery processor and
 * ingress (in the core module) can inject them without an import; both HTTP modules import it.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    BridgeMetrics,
    DeliveryStats,
    MetricsCollector,
    MetricsAccessGuard,
    OpsHistoryRecorder,
    { provide: METRICS_ACCESS_OPTIONS, useFactory: () => metricsAccessFromEnv() },
  ],
  exports: [BridgeMetrics, DeliveryStats],
})
export class MetricsModule {}
