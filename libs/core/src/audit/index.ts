export * from './message-log';
export * from './audit.module';
