import { Inject, Injectable, Module, OnModuleInit, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdapterFactory, AdapterKind, AdapterSpec, AdapterStore } from '@bridge/adapter-sdk';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { AgencyQueueManager, AgencyQueueSettings } from '@bridge/queues';
import { ADAPTER_FACTORIES_TOKEN, AgencyRegistryService } from '../agencies';
import { adapterLogger } from '../runtime/nest-loggers';
import { DrainSequence, DrainStep } from '../runtime/drain-sequence';
import { ADAPTER_STORE, BRIDGE_ROLE, BridgeRole, runsWorker } from '../runtime/tokens';
import { ADAPTER_PROVIDER } from './adapter-provider';
import { AgencyDeliveryProcessor } from './agency-delivery.processor';
import { AgencyRuntime } from './agency-runtime';
import { CircuitEvents } from './circuit-events';

/** Queue settings of an agency, from its adapter spec. */
export function queueSettingsOf(spec: AdapterSpec): AgencyQueueSettings {
  return {
    concurrency: spec.concurrency,
    rateLimit: spec.rateLimit,
    timeoutMs: spec.timeoutMs + 5_000,
    retry: spec.retry,
    circuit: {
      failureThreshold: spec.circuit.failureThreshold,
      openMs: spec.circuit.openMs,
      probeTimeoutMs: spec.timeoutMs,
    },
  };
}

/**
 * Loads the agencies' adapters before anything starts that uses them (module init comes before
 * every application bootstrap), and closes them late in the drain, after the jobs and the relay.
 */
@Injectable()
export class AgencyRuntimeLifecycle implements OnModuleInit {
  constructor(
    @Inject(AgencyRuntime) private readonly runtime: AgencyRuntime,
    @Inject(DrainSequence) drain: DrainSequence,
  ) {
    drain.add(DrainStep.Runtime, 'agency runtime', () => runtime.stop());
  }

  async onModuleInit(): Promise<void> {
    await this.runtime.start();
  }
}

const DELIVERY_PROVIDERS: Provider[] = [
  { provide: CircuitEvents, inject: [DataSource], useFactory: (ds: DataSource) => new CircuitEvents(ds) },
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
  AgencyRuntimeLifecycle,
  {
    provide: AgencyQueueManager,
    inject: [
      BRIDGE_ROLE,
      BRIDGE_CONFIG,
      AgencyDeliveryProcessor,
      AgencyRuntime,
      CircuitEvents,
      DrainSequence,
    ],
    useFactory: (
      role: BridgeRole,
      config: BridgeConfig,
      processor: AgencyDeliveryProcessor,
      runtime: AgencyRuntime,
      circuits: CircuitEvents,
      drain: DrainSequence,
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
      // Each loaded spec sets its agency's limits, retry and circuit; a paused agency stays paused.
      runtime.onLoad(async (agency) => {
        await queues.ensureAgency(agency.code, queueSettingsOf(agency.spec));
        if (agency.paused) await queues.pause(agency.code);
      });
      // In-flight jobs finish (or are released) before the relay's last flush.
      drain.add(DrainStep.Queues, 'queues', () => queues.close());
      return queues;
    },
  },
];

/**
 * The agencies' live adapters and their delivery queues, in every role: the gateway reads and
 * pauses queues, a worker also runs their jobs. The queues' hooks call the runtime's adapters
 * (circuit probes) and the runtime tells the queues each spec it loads, without either holding
 * the other: the queues subscribe to the runtime. Imported by the global BridgeCoreModule,
 * which exports it to every module.
 */
@Module({
  providers: DELIVERY_PROVIDERS,
  exports: [CircuitEvents, AgencyDeliveryProcessor, AgencyRuntime, ADAPTER_PROVIDER, AgencyQueueManager],
})
export class DeliveryModule {}
