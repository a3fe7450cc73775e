import { Module } from '@nestjs/common';
import { BridgeConfigModule } from '@bridge/config';
import { BridgeCoreModule, LoggingModule, SecurityModule, GatewayHttpModule } from '@bridge/core';
import { PersistenceModule } from '@bridge/persistence';

/** The gateway process: the HTTP face of the bridge: postal ingress, agency callbacks, the admin and ops API, the dashboard, docs, metrics and health. */
@Module({
  imports: [
    BridgeConfigModule,
    LoggingModule.forRoot(),
    PersistenceModule,
    BridgeCoreModule.forRoot('gateway'),
    SecurityModule.withGlobalGuard(),
    GatewayHttpModule,
  ],
})
export class GatewayAppModule {}
