import { Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiPrincipal, CurrentPrincipal, Roles } from '../security';
import { AgencyPauseService } from './agency-pause.service';

/** An operator stops and restarts deliveries to one agency. */
@ApiTags('ops')
@ApiBearerAuth()
@Controller('api/v1/ops/agencies')
@Roles('operator')
export class AgencyOpsController {
  constructor(@Inject(AgencyPauseService) private readonly pauses: AgencyPauseService) {}

  @Post(':code/pause')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pause deliveries to an agency in every worker; it stays paused across restarts until resumed',
  })
  @ApiParam({ name: 'code', example: '000.00.53.H48' })
  @ApiResponse({
    status: 200,
    description: 'Paused',
    example: { code: '000.00.53.H48', paused: true, queue: true },
  })
  @ApiResponse({ status: 404, description: 'No registered agency with that code' })
  pause(@Param('code') code: string, @CurrentPrincipal() principal?: ApiPrincipal) {
    return this.set(code, true, principal);
  }

  @Post(':code/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume deliveries to an agency; an open circuit is closed too' })
  @ApiParam({ name: 'code', example: '000.00.53.H48' })
  @ApiResponse({
    status: 200,
    description: 'Resumed',
    example: { code: '000.00.53.H48', paused: false, queue: true },
  })
  @ApiResponse({ status: 404, description: 'No registered agency with that code' })
  resume(@Param('code') code: string, @CurrentPrincipal() principal?: ApiPrincipal) {
    return this.set(code, false, principal);
  }

  private async set(code: string, paused: boolean, principal?: ApiPrincipal) {
    const by = principal ? `${principal.role}:${principal.name}` : 'api';
    const state = await this.pauses.setPaused(code, paused, by);
    if (!state) throw new NotFoundException(`no registered agency with code ${code}`);
    return state;
  }
}
