export * from './bridge-config';
export * from './config.module';
export * from './agency-files-settings';
