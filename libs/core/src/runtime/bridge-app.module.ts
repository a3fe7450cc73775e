import { DynamicModule, Module } from '@nestjs/common';
import { BridgeConfigModule } from '@bridge/config';
import { PersistenceModule } from '@bridge/persistence';
import { GatewayHttpModule, WorkerHttpModule } from '../http/gateway-http.module';
import { LoggingModule } from '../logging';
import { SecurityModule } from '../security';
import { BridgeCoreModule } from './bridge-core.module';
import { BridgeRole } from './tokens';

/** The root module of a bridge process; gateway, worker and both-in-one differ only in `role`. */
@Module({})
export class BridgeAppModule {
  static forRole(role: BridgeRole): DynamicModule {
    const http = role === 'worker' ? WorkerHttpModule : GatewayHttpModule;
    return {
      module: BridgeAppModule,
      imports: [
        BridgeConfigModule,
        LoggingModule.forRoot(),
        PersistenceModule,
        BridgeCoreModule.forRoot(role),
        SecurityModule.withGlobalGuard(),
        http,
      ],
    };
  }
}
