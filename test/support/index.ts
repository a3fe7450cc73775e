export * from './test-database';
export * from './postal-events';
