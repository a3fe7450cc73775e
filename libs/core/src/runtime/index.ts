export * from './tokens';
export * from './bridge-core.module';
export * from './bridge-lifecycle';
export * from './start-bridge';
export * from './infrastructure.providers';
export * from './nest-loggers';
