export * from './secret-cipher';
export * from './api-keys';
export * from './auth';
export * from './security.module';
