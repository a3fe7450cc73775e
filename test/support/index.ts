export * from './test-database';
export * from './postal-events';
export * from './rabbit-admin';
