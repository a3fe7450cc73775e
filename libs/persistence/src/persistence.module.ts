import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { createBridgeDataSource } from './data-source';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Provides the connected TypeORM DataSource (inject `DataSource`) and closes it on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [BRIDGE_CONFIG],
      useFactory: async (config: BridgeConfig) => {
        const dataSource = createBridgeDataSource({ url: config.databaseUrl, poolSize: 20 });
        return dataSource.initialize();
      },
    },
    DataSourceCloser,
  ],
  exports: [DataSource],
})
export class PersistenceModule {}
