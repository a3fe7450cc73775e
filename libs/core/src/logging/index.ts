export * from './personal-data-mask';
export * from './secret-redaction';
export * from './correlation-context';
export * from './correlation-id.middleware';
export * from './pino-options';
export * from './error-id.filter';
export * from './logging.module';
export * from './logging.module';
