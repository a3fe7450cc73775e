export * from './tokens';
export * from './bridge-core.module';
export * from './bridge-worker.module';
export * from './drain-sequence';
export * from './start-bridge';
export * from './infrastructure.providers';
export * from './nest-loggers';
