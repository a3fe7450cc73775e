import { Provider } from '@nestjs/common';
import { ADAPTER_FACTORIES } from '../agencies/adapter-registry';
import { AgencyRegistryService } from '../agencies/agency-registry.service';
import { ADAPTER_PROVIDER } from '../delivery/adapter-provider';
import { AgencyChangesService } from '../delivery/agency-changes.service';
import { AgencyRuntime } from '../delivery/agency-runtime';
import { PostalTrackingService } from '../ingress/postal-tracking.service';
import { adapterLogger } from '../runtime/nest-loggers';
import { DeadLetterActionsService } from './dead-letter-actions.service';

/**
 * What {@link DeadLetterActionsService} needs in a process that runs no queues (the `bridge`
 * command): the ingress's tracking path, the agency-changes path, and adapters loaded from the
 * stored agency files on demand (a replayed agency record is read with the file in force). The
 * process must also provide DataSource, DeadLetterService, PostalIngressService and the
 * AgencyRegistryService (AgenciesModule).
 */
export function deadLetterReplayProviders(): Provider[] {
  return [
    PostalTrackingService,
    AgencyChangesService,
    DeadLetterActionsService,
    {
      provide: ADAPTER_PROVIDER,
      // Without queues and without start(): DeadLetterActionsService refreshes it before use.
      useFactory: (registry: AgencyRegistryService) =>
        new AgencyRuntime(registry, ADAPTER_FACTORIES, { logger: adapterLogger('replay') }),
      inject: [AgencyRegistryService],
    },
  ];
}
