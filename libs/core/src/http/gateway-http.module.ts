import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { DashboardModule } from '../dashboard/dashboard.module';
import { DocsModule } from '../docs/docs.module';
import { DossierQueryService } from '../dossiers/dossier-query.service';
import { MetricsModule } from '../metrics/metrics.module';
import { OpsModule } from '../ops/ops.module';
import { AgenciesController } from './agencies.controller';
import { AgencyPreviewController } from './agency-preview.controller';
import { IngressLimitModule } from './ingress-limit/ingress-limit.module';
import { AgencyCallbacksController } from './agency-callbacks.controller';
import { DossiersController } from './dossiers.controller';
import { HealthController } from './health.controller';
import { PostalEventsController } from './postal-events.controller';
import { PersonalDataInterceptor } from './personal-data/personal-data.interceptor';
import { PostalTrackingController } from './postal-tracking.controller';

/** Every HTTP route of the gateway (ops API, metrics and AsyncAPI from their modules). */
@Module({
  imports: [TerminusModule, MetricsModule, OpsModule, DocsModule, DashboardModule, IngressLimitModule],
  controllers: [
    HealthController,
    PostalEventsController,
    PostalTrackingController,
    DossiersController,
    AgenciesController,
    AgencyPreviewController,
    AgencyCallbacksController,
  ],
  providers: [DossierQueryService, { provide: APP_INTERCEPTOR, useClass: PersonalDataInterceptor }],
  exports: [DossierQueryService],
})
export class GatewayHttpModule {}

/** What a worker serves over HTTP: health and metrics only. */
@Module({
  imports: [TerminusModule, MetricsModule],
  controllers: [HealthController],
})
export class WorkerHttpModule {}
