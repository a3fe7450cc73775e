import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles } from '../security';
import { HISTORY_WINDOWS, HistoryWindow, OpsHistoryService } from './ops-history.service';
import { opsValidationPipe } from './ops-validation';

/** Query of `GET /api/v1/ops/history`. */
export class OpsHistoryQueryDto {
  @ApiPropertyOptional({ example: '000.00.53.H48', description: 'One agency; all agencies when absent' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  agency?: string;

  @ApiPropertyOptional({ enum: HISTORY_WINDOWS, default: '1h' })
  @IsOptional()
  @IsIn(HISTORY_WINDOWS, { message: `window must be one of ${HISTORY_WINDOWS.join(', ')}` })
  window?: HistoryWindow;
}

/** One unit of the administrative tree, with or without an adapter of its own. */
export interface HierarchyUnit {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** What the dashboard draws: trends of the last hour and day, and the agencies' tree. */
@ApiTags('ops')
@ApiBearerAuth()
@Controller('api/v1/ops')
@Roles('operator')
export class OpsTrendsController {
  constructor(
    @Inject(OpsHistoryService) private readonly history: OpsHistoryService,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  @Get('history')
  @ApiOperation({
    summary:
      'Throughput, latency p50/p95 and queue depth of one agency or all, over the last hour (per minute) or day (per ten minutes)',
  })
  @ApiResponse({ status: 200, description: 'The series, in columns' })
  @ApiResponse({ status: 400, description: 'A query field is malformed (named in the message)' })
  @ApiResponse({ status: 404, description: 'No such agency' })
  series(@Query(opsValidationPipe()) query: OpsHistoryQueryDto) {
    return this.history.series(query.agency, query.window ?? '1h');
  }

  @Get('hierarchy')
  @ApiOperation({
    summary: 'Every agency that is not retired with its level and parent, adapter or not (the tree of units)',
  })
  @ApiResponse({ status: 200, description: 'The units, by code' })
  async hierarchy(): Promise<HierarchyUnit[]> {
    const rows = await this.dataSource.query<
      Array<{ code: string; name: string; level: string; parent_code: string | null }>
    >('SELECT code, name, level, parent_code FROM agencies WHERE retired_at IS NULL ORDER BY code');
    return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code }));
  }
}
