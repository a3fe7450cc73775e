import { Module } from '@nestjs/common';
import { BridgeConfigModule } from '@bridge/config';
import {
  BridgeCoreModule,
  BridgeWorkerModule,
  LoggingModule,
  SecurityModule,
  GatewayHttpModule,
} from '@bridge/core';
import { PersistenceModule } from '@bridge/persistence';

/** The standalone process: gateway and worker in one process, for small sites and the demo. */
@Module({
  imports: [
    BridgeConfigModule,
    LoggingModule.forRoot(),
    PersistenceModule,
    BridgeCoreModule.forRoot('all'),
    BridgeWorkerModule,
    SecurityModule.withGlobalGuard(),
    GatewayHttpModule,
  ],
})
export class StandaloneAppModule {}
