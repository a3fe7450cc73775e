export * from './test-database';
export * from './postal-events';
export * from './rabbit-admin';
export * from './bridge-process';
export * from './event-tap';
export * from './agencies';
export * from './rest-agency-doc';
