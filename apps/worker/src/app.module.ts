import { Module } from '@nestjs/common';
import { BridgeConfigModule } from '@bridge/config';
import {
  BridgeCoreModule,
  BridgeWorkerModule,
  LoggingModule,
  SecurityModule,
  WorkerHttpModule,
} from '@bridge/core';
import { PersistenceModule } from '@bridge/persistence';

/** The worker process: the postal.inbound consumer, the agency delivery queues, polling, CSV folders and the outbox relay, with health and metrics only over HTTP. */
@Module({
  imports: [
    BridgeConfigModule,
    LoggingModule.forRoot(),
    PersistenceModule,
    BridgeCoreModule.forRoot('worker'),
    BridgeWorkerModule,
    SecurityModule.withGlobalGuard(),
    WorkerHttpModule,
  ],
})
export class WorkerAppModule {}
