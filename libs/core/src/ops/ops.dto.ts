import { Type } from 'class-transformer';
import {
  Equals,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { OVERVIEW_DEFAULT_PAGE_SIZE, OVERVIEW_MAX_PAGE_SIZE } from './ops-overview.service';

/** Where a dead letter came from. */
export const DEAD_LETTER_ORIGINS = ['delivery', 'inbound', 'agency-record', 'parked'] as const;
export const DEAD_LETTER_STATES = ['open', 'replayed', 'discarded', 'all'] as const;
const ERROR_CODE = /^[A-Z][A-Z_]{1,39}$/;

/** An optional agency code: the filter every ops listing shares. */
export class AgencyFilterDto {
  @ApiPropertyOptional({ example: '000.00.53.H48' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  agency?: string;
}

/** The fields that select dead letters, shared by the listing and the replay. */
export class DeadLetterFilterDto extends AgencyFilterDto {
  @ApiPropertyOptional({ example: 'PERMANENT' })
  @IsOptional()
  @Matches(ERROR_CODE, { message: 'errorCode must be an error code such as TEMPORARY or PERMANENT' })
  errorCode?: string;

  @ApiPropertyOptional({ enum: DEAD_LETTER_ORIGINS })
  @IsOptional()
  @IsIn(DEAD_LETTER_ORIGINS)
  origin?: string;
}

/** Query of `GET /api/v1/ops/dead-letters`. */
export class DeadLetterQueryDto extends DeadLetterFilterDto {
  @ApiPropertyOptional({ enum: DEAD_LETTER_STATES, default: 'open' })
  @IsOptional()
  @IsIn(DEAD_LETTER_STATES)
  state?: (typeof DEAD_LETTER_STATES)[number];
}

/**
 * Body of `POST /api/v1/ops/dead-letters/replay`: every given field must match. An empty
 * filter is refused; replaying every open dead letter is `{ "all": true }`.
 */
export class ReplayFilterDto extends DeadLetterFilterDto {
  @ApiPropertyOptional({ example: 'TEMPORARY: agency did not answer within <n> ms' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  signature?: string;

  @ApiPropertyOptional({
    description: 'dead-lettered at or after (ISO-8601)',
    example: '2026-03-01T00:00:00+07:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'dead-lettered at or before (ISO-8601)',
    example: '2026-03-02T00:00:00+07:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'true: replay every open dead letter (no other field allowed)' })
  @IsOptional()
  @Equals(true, { message: 'all must be true when given' })
  all?: boolean;
}

/** Query of `GET /api/v1/ops/messages`. */
export class MessageSearchDto extends AgencyFilterDto {
  @ApiPropertyOptional({ description: 'bridge id of the dossier' })
  @IsOptional()
  @IsUUID()
  dossier?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  correlation?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** Query of `GET /api/v1/ops/dossiers/late`. */
export class LateDossiersQueryDto extends AgencyFilterDto {}

/** Query of `GET /api/v1/ops/overview`: one page of agencies, found by code or name, unit or province. */
export class OverviewQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: OVERVIEW_MAX_PAGE_SIZE, default: OVERVIEW_DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(OVERVIEW_MAX_PAGE_SIZE)
  pageSize?: number;

  @ApiPropertyOptional({
    description: 'Part of the code or name; case, Unicode form and Vietnamese diacritics are ignored',
    example: 'son tra',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ description: 'Only the units directly under this one', example: '000.00.00.H48' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  parent?: string;

  @ApiPropertyOptional({ description: 'Only the units of this province', example: '48' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  province?: string;
}
