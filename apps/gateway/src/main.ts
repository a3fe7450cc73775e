import { runBridge } from '@bridge/core';
import { GatewayAppModule } from './app.module';

runBridge('gateway', GatewayAppModule);
