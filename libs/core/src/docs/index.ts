export * from './api-docs';
export * from './asyncapi.controller';
export * from './docs.module';
