import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module';
import { AgencyOpsController } from './agency-ops.controller';
import { AgencyPauseService } from './agency-pause.service';
import { DeadLetterActionsService } from './dead-letter-actions.service';
import { DeadLetterGroupsService } from './dead-letter-groups.service';
import { DeadLettersController } from './dead-letters.controller';
import { LateDossiersService } from './late-dossiers.service';
import { OpsOverviewService } from './ops-overview.service';
import { OpsController } from './ops.controller';
import { OpsHistoryService } from './ops-history.service';
import { OpsTrendsController } from './ops-trends.controller';

/**
 * The operations API under `/api/v1/ops` (operator role). Needs the core module (queues,
 * runtime, dead letters, ingress, message log) and the MetricsModule (delivery statistics).
 */
@Module({
  // The adapter factories say how each agency is probed (the overview shows it).
  imports: [AgenciesModule],
  controllers: [OpsController, DeadLettersController, AgencyOpsController, OpsTrendsController],
  providers: [
    OpsOverviewService,
    LateDossiersService,
    DeadLetterGroupsService,
    DeadLetterActionsService,
    AgencyPauseService,
    OpsHistoryService,
  ],
  exports: [OpsOverviewService, DeadLetterGroupsService, DeadLetterActionsService, AgencyPauseService],
})
export class OpsModule {}
