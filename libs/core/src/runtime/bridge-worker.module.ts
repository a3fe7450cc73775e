import { Inject, Module } from '@nestjs/common';
import { AuditChainModule } from '../audit/audit-chain.module';
import { AgencyPollingModule } from '../delivery/agency-polling.module';
import { StuckDossierSweeperModule } from '../delivery/stuck-dossier-sweeper.module';
import { PostalConsumerModule } from '../ingress/postal-consumer.module';
import { OutboxRelayModule } from '../outbox/outbox-relay.module';
import { BRIDGE_ROLE, BridgeRole, runsWorker } from './tokens';

/**
 * What a worker runs besides the backbone ({@link BridgeCoreModule}): the postal consumers,
 * polls and status look-ups, the outbox relay, the message-log chainer and checkpoints, and the
 * stuck-dossier sweeper, each in its own module. The worker and standalone apps import it; the
 * gateway does not. Nest starts modules of one depth in the order listed: the consumers last.
 * They stop in the order of {@link DrainStep}, the consumers first.
 */
@Module({
  imports: [
    AuditChainModule,
    StuckDossierSweeperModule,
    AgencyPollingModule,
    OutboxRelayModule,
    PostalConsumerModule,
  ],
})
export class BridgeWorkerModule {
  constructor(@Inject(BRIDGE_ROLE) role: BridgeRole) {
    if (!runsWorker(role))
      throw new Error(
        `BridgeWorkerModule needs BridgeCoreModule.forRoot('worker') or forRoot('all'), not forRoot('${role}')`,
      );
  }
}
