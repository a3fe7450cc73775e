import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DossierQueryService } from '../dossiers/dossier-query.service';
import { AgenciesController } from './agencies.controller';
import { AgencyCallbacksController } from './agency-callbacks.controller';
import { DossiersController } from './dossiers.controller';
import { HealthController } from './health.controller';
import { PostalEventsController } from './postal-events.controller';

/** Every HTTP route of the gateway. */
@Module({
  imports: [TerminusModule],
  controllers: [
    HealthController,
    PostalEventsController,
    DossiersController,
    AgenciesController,
    AgencyCallbacksController,
  ],
  providers: [DossierQueryService],
  exports: [DossierQueryService],
})
export class GatewayHttpModule {}

/** What a worker serves over HTTP: health and metrics only. */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
})
export class WorkerHttpModule {}
