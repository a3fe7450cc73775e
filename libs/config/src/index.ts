export * from './bridge-config';
export * from './config.module';
