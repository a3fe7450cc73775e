import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { createBridgeDataSource } from '@bridge/persistence';
import { databaseError } from './cli-error';

/**
 * The CLI's connection to PostgreSQL, opened only by the commands that need it. Unlike the
 * servers' PersistenceModule, nothing connects at start-up: `bridge --help` and `bridge wsdl
 * import` work without a database, and `bridge migrate` can create the database first.
 */
@Injectable()
export class CliDatabase implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
  ) {}

  /** Connects (once) and checks the schema exists; failures name the database and the fix. */
  async connect(): Promise<DataSource> {
    if (this.dataSource.isInitialized) return this.dataSource;
    try {
      await this.dataSource.initialize();
      await this.dataSource.query('SELECT 1 FROM bridge_migrations LIMIT 1');
    } catch (error) {
      throw databaseError(error, this.config.databaseUrl) ?? error;
    }
    return this.dataSource;
  }

  /** Runs `work`, translating a lost connection into a message naming the database. */
  async run<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
    const dataSource = await this.connect();
    try {
      return await work(dataSource);
    } catch (error) {
      throw databaseError(error, this.config.databaseUrl) ?? error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Provides an unconnected `DataSource` (for the libs' services) and {@link CliDatabase}. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [BRIDGE_CONFIG],
      useFactory: (config: BridgeConfig) =>
        createBridgeDataSource({ url: config.databaseUrl, poolSize: 4, applicationName: 'bridge-cli' }),
    },
    CliDatabase,
  ],
  exports: [DataSource, CliDatabase],
})
export class CliDatabaseModule {}
