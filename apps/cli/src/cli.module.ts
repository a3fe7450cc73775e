import { Module } from '@nestjs/common';
import { BridgeConfigModule } from '@bridge/config';
import {
  AgenciesModule,
  AuditModule,
  DeadLetterService,
  deadLetterReplayProviders,
  DossierQueryService,
  MESSAGE_RECORDER,
  MessageLogService,
  PostalIngressService,
  SecurityModule,
} from '@bridge/core';
import { AGENCIES_COMMANDS } from './commands/agencies/agencies.command';
import { AUDIT_COMMANDS } from './commands/audit/audit.command';
import { DLQ_COMMANDS } from './commands/dlq/dlq.command';
import { DOSSIER_COMMANDS } from './commands/dossier/dossier.command';
import { KEYS_COMMANDS } from './commands/keys/keys.command';
import { MigrateCommand } from './commands/migrate/migrate.command';
import { OPENAPI_COMMANDS } from './commands/openapi/openapi-import.command';
import { PurgeCommand } from './commands/purge/purge.command';
import { SECRETS_COMMANDS } from './commands/secrets/secrets.command';
import { WSDL_COMMANDS } from './commands/wsdl/wsdl.command';
import { CliDatabaseModule } from './infrastructure/cli-database';
import { CliLoggerModule } from './infrastructure/cli-logging';
import { CommanderSetup } from './infrastructure/commander-setup';

/**
 * Root module of the `bridge` command: configuration, a lazily connected database, the
 * registry, keys, message log and the dead-letter (replays as the dashboard's, agency records
 * read with adapters loaded on demand) and dossier services — and nothing that
 * listens or consumes (no HTTP server, AMQP consumer, BullMQ worker or outbox relay).
 */
@Module({
  imports: [
    BridgeConfigModule,
    CliLoggerModule,
    CliDatabaseModule,
    SecurityModule,
    AgenciesModule,
    AuditModule,
  ],
  providers: [
    DeadLetterService,
    DossierQueryService,
    { provide: MESSAGE_RECORDER, useExisting: MessageLogService },
    PostalIngressService,
    ...deadLetterReplayProviders(),
    CommanderSetup,
    MigrateCommand,
    PurgeCommand,
    ...AGENCIES_COMMANDS,
    ...WSDL_COMMANDS,
    ...OPENAPI_COMMANDS,
    ...DLQ_COMMANDS,
    ...DOSSIER_COMMANDS,
    ...KEYS_COMMANDS,
    ...AUDIT_COMMANDS,
    ...SECRETS_COMMANDS,
  ],
})
export class CliModule {}
