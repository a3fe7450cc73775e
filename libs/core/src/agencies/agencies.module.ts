import { Module } from '@nestjs/common';
import { SecurityModule } from '../security/security.module';
import { ADAPTER_FACTORIES_TOKEN } from './adapter-factories';
import { ADAPTER_FACTORIES } from './adapter-registry';
import { AgencyRegistryService } from './agency-registry.service';
import { MappingWorkbenchService } from '../workbench/mapping-workbench.service';

/**
 * Provides the {@link AgencyRegistryService} and the adapter factory registry (token
 * `ADAPTER_FACTORIES`). The cipher comes from {@link SecurityModule}; `DataSource` and
 * `BRIDGE_CONFIG` must be in scope (PersistenceModule, BridgeConfigModule are global).
 * Agency files are read from any path the caller names unless `AGENCY_REGISTRY_OPTIONS` sets a root.
 */
@Module({
  imports: [SecurityModule],
  providers: [
    { provide: ADAPTER_FACTORIES_TOKEN, useValue: ADAPTER_FACTORIES },
    AgencyRegistryService,
    MappingWorkbenchService,
  ],
  exports: [AgencyRegistryService, MappingWorkbenchService, ADAPTER_FACTORIES_TOKEN],
})
export class AgenciesModule {}
