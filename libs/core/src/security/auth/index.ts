export * from './roles.decorator';
export * from './access-decision';
export * from './api-key.guard';
export * from './caller-check';
