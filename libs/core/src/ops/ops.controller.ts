import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MessageLogService } from '../audit';
import { Roles } from '../security';
import { LateDossiersService } from './late-dossiers.service';
import { LATE_EXAMPLE, OVERVIEW_EXAMPLE } from './ops-examples';
import { OpsOverviewService } from './ops-overview.service';
import { opsValidationPipe } from './ops-validation';
import { LateDossiersQueryDto, MessageSearchDto, OverviewQueryDto } from './ops.dto';

/** What operations watch: agencies at a glance, late dossiers, the message log. */
@ApiTags('ops')
@ApiBearerAuth()
@Controller('api/v1/ops')
@Roles('operator')
export class OpsController {
  constructor(
    @Inject(OpsOverviewService) private readonly overviews: OpsOverviewService,
    @Inject(LateDossiersService) private readonly late: LateDossiersService,
    @Inject(MessageLogService) private readonly messages: MessageLogService,
  ) {}

  @Get('overview')
  @ApiOperation({
    summary:
      'A page of agencies (search by code or name, by parent or province; grouped by province then parent): circuit, pause, queue, open dead letters, last success, latency (last hour), on-time rate, late dossiers; totals over every agency',
  })
  @ApiResponse({ status: 200, description: 'The overview', example: OVERVIEW_EXAMPLE })
  @ApiResponse({
    status: 400,
    description: 'A query field is malformed or out of range (named in the message)',
  })
  overview(@Query(opsValidationPipe()) query: OverviewQueryDto) {
    return this.overviews.overview(query);
  }

  @Get('dossiers/late')
  @ApiOperation({
    summary: 'Dossiers past their appointment date and not finished, per agency, most overdue first',
  })
  @ApiResponse({ status: 200, description: 'Late dossiers by agency', example: LATE_EXAMPLE })
  lateDossiers(@Query(opsValidationPipe()) query: LateDossiersQueryDto) {
    return this.late.byAgency(query.agency);
  }

  @Get('messages')
  @ApiOperation({
    summary:
      'Search the message log (newest first) by dossier, agency and/or correlation id; bodies are redacted',
  })
  @ApiResponse({ status: 200, description: 'Matching messages with their hash-chain fields' })
  @ApiResponse({ status: 400, description: 'A filter is malformed (named in the message)' })
  search(@Query(opsValidationPipe()) query: MessageSearchDto) {
    return this.messages.search({
      dossierId: query.dossier,
      agencyCode: query.agency,
      correlationId: query.correlation,
      limit: query.limit,
    });
  }
}
