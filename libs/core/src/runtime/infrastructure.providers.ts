import { Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AdapterStore } from '@bridge/adapter-sdk';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { RedisAdapterStore } from '../delivery/redis-adapter-store';
import { ADAPTER_STORE, REDIS } from './tokens';

/** Redis key prefix of the installation: `bridge:` or `bridge:<namespace>:`. */
export function redisPrefix(config: BridgeConfig): string {
  return config.namespace ? `bridge:${config.namespace}:` : 'bridge:';
}

/** The shared infrastructure besides AMQP (MessagingModule): one Redis connection, the adapters' store. */
export const INFRASTRUCTURE_PROVIDERS: Provider[] = [
  {
    provide: REDIS,
    inject: [BRIDGE_CONFIG],
    useFactory: (config: BridgeConfig) =>
      // BullMQ needs maxRetriesPerRequest: null; commands wait while Redis restarts.
      new Redis(config.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false }),
  },
  {
    provide: ADAPTER_STORE,
    inject: [REDIS, BRIDGE_CONFIG],
    useFactory: (redis: Redis, config: BridgeConfig): AdapterStore =>
      new RedisAdapterStore(redis, `${redisPrefix(config)}adapter:`),
  },
];
