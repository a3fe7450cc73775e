export * from './agency-jobs';
export * from './retry-policy';
export * from './agency-queue.types';
export * from './agency-queue-settings';
export * from './circuit-breaker';
export type { AgencyJobData } from './agency-job-processor';
export { ComeBackLaterError, ScheduledRetryError } from './agency-job-processor';
export * from './agency-queue-manager';
export * from './agency-call-budget';
