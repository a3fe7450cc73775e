export * from './bridge-config';
export * from './config.module';
export * from './housekeeping-config';
export * from './agency-files-settings';
