import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { MessagingModule } from '@bridge/messaging';
import { AgenciesModule } from '../agencies';
import { AuditModule, MessageLogService } from '../audit';
import { AgencyChangesService } from '../delivery/agency-changes.service';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { DeliveryModule } from '../delivery/delivery.module';
import { PollHealthRecorder } from '../delivery/poll-health';
import { PostalIngressService } from '../ingress/postal-ingress.service';
import { PostalTrackingService } from '../ingress/postal-tracking.service';
import { SecurityModule } from '../security';
import { MESSAGE_RECORDER } from '../common/message-recorder';
import { BridgeTopology } from './bridge-topology';
import { DrainSequence, DrainStep } from './drain-sequence';
import { Housekeeping } from './housekeeping';
import { INFRASTRUCTURE_PROVIDERS } from './infrastructure.providers';
import { messagingLogger } from './nest-loggers';
import { BRIDGE_ROLE, BridgeRole, REDIS } from './tokens';

/** The shared Redis connection closes last, after every part that uses it stopped. */
class RedisDisconnect {
  constructor(redis: Redis, drain: DrainSequence) {
    drain.add(DrainStep.Connections, 'redis', () => redis.disconnect());
  }
}

function coreProviders(role: BridgeRole): Provider[] {
  return [
    { provide: BRIDGE_ROLE, useValue: role },
    DrainSequence,
    ...INFRASTRUCTURE_PROVIDERS,
    {
      provide: RedisDisconnect,
      inject: [REDIS, DrainSequence],
      useFactory: (redis: Redis, drain: DrainSequence) => new RedisDisconnect(redis, drain),
    },
    BridgeTopology,
    { provide: MESSAGE_RECORDER, useExisting: MessageLogService },
    PostalIngressService,
    PostalTrackingService,
    DeadLetterService,
    AgencyChangesService,
    {
      provide: PollHealthRecorder,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new PollHealthRecorder(ds),
    },
    Housekeeping,
  ];
}

/**
 * The bridge's backbone for one process, in every role: connections, the AMQP topology, the
 * ingress and tracking services, the agencies' adapters and delivery queues, and the
 * {@link DrainSequence} that stops it all in order. `role` says whether this process runs agency
 * jobs (`worker`, `all`) or only enqueues and reads (`gateway`); what only a worker runs is in
 * {@link BridgeWorkerModule}, which the worker and standalone apps import beside this one.
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
        DeliveryModule,
      ],
      providers,
      exports: [
        ...providers.map((p) => ('provide' in p ? p.provide : p)),
        SecurityModule,
        AgenciesModule,
        AuditModule,
        DeliveryModule,
      ],
    };
  }
}
