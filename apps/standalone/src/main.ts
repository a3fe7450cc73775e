import { runBridge } from '@bridge/core';
import { StandaloneAppModule } from './app.module';

runBridge('all', StandaloneAppModule);
