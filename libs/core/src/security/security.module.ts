import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { ApiKeyService, KeyFailureLimiter, keyFailureLimitFromEnv } from './api-keys';
import { ApiKeyGuard } from './auth';
import { redisPrefix } from '../runtime/infrastructure.providers';
import { REDIS } from '../runtime/tokens';
import { SECRET_CIPHER, SecretCipher } from './secret-cipher';

const apiKeyServiceProvider: Provider = {
  provide: ApiKeyService,
  inject: [DataSource, BRIDGE_CONFIG, { token: REDIS, optional: true }],
  useFactory: (dataSource: DataSource, config: BridgeConfig, redis?: Redis) =>
    new ApiKeyService(dataSource, {
      bootstrapAdminKey: config.bootstrapAdminKey,
      failureLimiter: new KeyFailureLimiter({
        redis,
        prefix: redisPrefix(config),
        limit: keyFailureLimitFromEnv(),
      }),
    }),
};

const secretCipherProvider: Provider = {
  provide: SECRET_CIPHER,
  inject: [BRIDGE_CONFIG],
  useFactory: (config: BridgeConfig) => new SecretCipher(config.secretKey),
};

/**
 * API keys ({@link ApiKeyService}), the {@link ApiKeyGuard} and the credential cipher
 * (`SECRET_CIPHER`). Needs `BRIDGE_CONFIG` and the persistence `DataSource` in scope.
 * Import `SecurityModule.withGlobalGuard()` in an HTTP app to guard every route; the plain
 * `SecurityModule` (CLI, worker) registers no guard.
 */
@Module({
  providers: [apiKeyServiceProvider, secretCipherProvider, ApiKeyGuard],
  exports: [ApiKeyService, SECRET_CIPHER, ApiKeyGuard],
})
export class SecurityModule {
  /** The same module with {@link ApiKeyGuard} registered as the app's global guard. */
  static withGlobalGuard(): DynamicModule {
    return { module: SecurityModule, providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }] };
  }
}
