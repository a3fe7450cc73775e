export * from './api-key-role';
export * from './api-key-secret';
export * from './api-key-cache';
export * from './api-key.service';
export * from './key-failure-limiter';
