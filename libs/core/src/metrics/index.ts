export * from './bridge-metrics';
export * from './delivery-stats';
export * from './latency-percentiles';
export * from './metrics-access.guard';
export * from './metrics-collector';
export * from './metrics.module';
export * from './ops-history-sampler';
