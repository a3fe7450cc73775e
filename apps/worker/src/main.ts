import { runBridge } from '@bridge/core';
import { WorkerAppModule } from './app.module';

runBridge('worker', WorkerAppModule);
