export * from './agencies/rest-agency';
export * from './agencies/igate-legacy-agency';
export * from './agencies/soap-agency';
export * from './agencies/soap-agency-provincial';
export * from './agencies/soap-agency-lookup-only';
export * from './agencies/csv-agency';
export * from './support';
