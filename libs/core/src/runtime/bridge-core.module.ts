import { DynamicModule, Module, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdapterFactory, AdapterKind, AdapterStore } from '@bridge/adapter-sdk';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { MessagingModule } from '@bridge/messaging';
import { AgencyQueueManager } from '@bridge/queues';
import { ADAPTER_FACTORIES_TOKEN, AgenciesModule, AgencyRegistryService } from '../agencies';
import { AuditModule, MessageLogService } from '../audit';
import { ADAPTER_PROVIDER } from '../delivery/adapter-provider';
import { AgencyChangesService } from '../delivery/agency-changes.service';
import { AgencyDeliveryProcessor } from '../delivery/agency-delivery.processor';
import { AgencyRuntime } from '../delivery/agency-runtime';
import { CircuitEvents } from '../delivery/circuit-events';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { PollHealthRecorder } from '../delivery/poll-health';
import { PostalIngressService } from '../ingress/postal-ingress.service';
import { PostalTrackingService } from '../ingress/postal-tracking.service';
import { SecurityModule } from '../security';
import { MESSAGE_RECORDER } from '../common/message-recorder';
import { BridgeLifecycle } from './bridge-lifecycle';
import { Housekeeping } from './housekeeping';
import { INFRASTRUCTURE_PROVIDERS } from './infrastructure.providers';
import { adapterLogger, messagingLogger } from './nest-loggers';
import { ADAPTER_STORE, BRIDGE_ROLE, BridgeRole, runsWorker } from './tokens';

function coreProviders(role: BridgeRole): Provider[] {
  return [
    { provide: BRIDGE_ROLE, useValue: role },
    ...INFRASTRUCTURE_PROVIDERS,
    { provide: MESSAGE_RECORDER, useExisting: MessageLogService },
    PostalIngressService,
    PostalTrackingService,
    DeadLetterService,
    AgencyChangesService,
    AgencyDeliveryProcessor,
    {
      provide: AgencyRuntime,
      inject: [AgencyRegistryService, ADAPTER_FACTORIES_TOKEN, ADAPTER_STORE],
      useFactory: (
        registry: AgencyRegistryService,
        factories: Record<AdapterKind, AdapterFactory>,
        store: AdapterStore,
      ) => new AgencyRuntime(registry, factories, { logger: adapterLogger('adapter'), store }),
    },
    { provide: ADAPTER_PROVIDER, useExisting: AgencyRuntime },
    { provide: CircuitEvents, inject: [DataSource], useFactory: (ds: DataSource) => new CircuitEvents(ds) },
    {
      provide: PollHealthRecorder,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new PollHealthRecorder(ds),
    },
    {
      provide: AgencyQueueManager,
      inject: [BRIDGE_CONFIG, AgencyDeliveryProcessor, AgencyRuntime, CircuitEvents],
      useFactory: (
        config: BridgeConfig,
        processor: AgencyDeliveryProcessor,
        runtime: AgencyRuntime,
        circuits: CircuitEvents,
      ) => {
        const log = adapterLogger('queues');
        const queues = new AgencyQueueManager({
          connection: config.redisUrl,
          queuePrefix: config.namespace ? `${config.namespace}-agency` : 'agency',
          keyPrefix: config.namespace ? `bridge:${config.namespace}` : 'bridge',
          runWorkers: runsWorker(role),
          hooks: {
            handler: processor,
            onDeadLetter: (letter) => processor.onDeadLetter(letter),
            probe: async (agencyCode) => {
              const result = await runtime
                .adapterFor(agencyCode)
                .probe({ correlationId: `probe-${agencyCode}`, record: () => undefined });
              return result.ok;
            },
            onCircuitOpened: (code, info) => circuits.opened(code, info),
            onCircuitClosed: (code, info) => circuits.closed(code, info),
            onInternalError: (error, context) =>
              log.error(`queue machinery failed: ${context}`, { error: String(error) }),
          },
        });
        runtime.attachQueues(queues);
        return queues;
      },
    },
    BridgeLifecycle,
    Housekeeping,
  ];
}

/**
 * The bridge's backbone for one process. `role` says what runs here: the gateway only
 * enqueues and reads; a worker also consumes `postal.inbound`, runs agency jobs, polls
 * agencies and relays the outbox; `all` is both (small sites, the demo).
 */
@Module({})
export class BridgeCoreModule {
  static forRoot(role: BridgeRole): DynamicModule {
    const providers = coreProviders(role);
    return {
      module: BridgeCoreModule,
      global: true,
      imports: [
        MessagingModule.forRoot({
          connectionName: `postal-one-stop-bridge-${role}-${process.pid}`,
          logger: messagingLogger('amqp'),
        }),
        SecurityModule,
        AgenciesModule,
        AuditModule,
      ],
      providers,
      exports: [
        ...providers.map((p) => ('provide' in p ? p.provide : p)),
        SecurityModule,
        AgenciesModule,
        AuditModule,
      ],
    };
  }
}
