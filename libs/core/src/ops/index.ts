export * from './ops.module';
export * from './ops.dto';
export * from './ops-overview.service';
export * from './late-dossiers.service';
export * from './dead-letter-groups.service';
export * from './dead-letter-actions.service';
export * from './agency-pause.service';
