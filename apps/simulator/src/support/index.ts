export * from './project-root';
export * from './purge-namespace';
export * from './child-exit';
export * from './bridge-process';
export * from './postal-events';
export * from './agency-docs';
export * from './agency-history';
export * from './adapter-history';
