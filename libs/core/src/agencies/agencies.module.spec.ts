import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { AdapterKind } from '@bridge/adapter-sdk';
import { BRIDGE_CONFIG, loadConfig } from '@bridge/config';
import { createBridgeDataSource } from '@bridge/persistence';
import { ADAPTER_FACTORIES_TOKEN, AdapterFactoryRegistry } from './adapter-factories';
import { AgenciesModule } from './agencies.module';
import { AgencyRegistryService } from './agency-registry.service';

/** What the apps' global modules provide; the DataSource is built but never connected here. */
@Global()
@Module({
  providers: [
    { provide: BRIDGE_CONFIG, useValue: loadConfig({}) },
    {
      provide: DataSource,
      useValue: createBridgeDataSource({ url: 'postgres://postgres@127.0.0.1:5432/unused' }),
    },
  ],
  exports: [BRIDGE_CONFIG, DataSource],
})
class AppScopeModule {}

describe('AgenciesModule', () => {
  it('provides the registry service and a factory for every adapter kind', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppScopeModule, AgenciesModule] }).compile();
    expect(moduleRef.get(AgencyRegistryService)).toBeInstanceOf(AgencyRegistryService);
    const factories = moduleRef.get<AdapterFactoryRegistry>(ADAPTER_FACTORIES_TOKEN);
    expect(Object.keys(factories).sort()).toEqual(Object.values(AdapterKind).sort());
    for (const factory of Object.values(factories)) {
      expect(typeof factory.optionsSchema).toBe('object');
      expect(typeof factory.create).toBe('function');
    }
    await moduleRef.close();
  });
});
