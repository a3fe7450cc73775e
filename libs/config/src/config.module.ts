import { Global, Module } from '@nestjs/common';
import { BridgeConfig, loadConfig } from './bridge-config';

/** Injection token of the validated {@link BridgeConfig}. */
export const BRIDGE_CONFIG = Symbol('BRIDGE_CONFIG');

/** Validates the environment once and provides the typed config everywhere. */
@Global()
@Module({
  providers: [{ provide: BRIDGE_CONFIG, useFactory: (): BridgeConfig => loadConfig() }],
  exports: [BRIDGE_CONFIG],
})
export class BridgeConfigModule {}
