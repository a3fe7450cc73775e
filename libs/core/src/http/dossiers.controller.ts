import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { isDossierStatus } from '@bridge/domain';
import { DossierQueryService } from '../dossiers/dossier-query.service';
import { Roles } from '../security';
import { Revealable } from './personal-data/personal-data.interceptor';

/** Dossiers and their whole timeline, by any reference. */
@ApiTags('dossiers')
@ApiBearerAuth()
@Controller('api/v1/dossiers')
export class DossiersController {
  constructor(private readonly dossiers: DossierQueryService) {}

  @Get(':ref')
  @Roles('operator', 'postal')
  @Revealable('dossier')
  @ApiOperation({
    summary:
      "One dossier and its timeline; ref = bridge id, postal item id (S10) or agency dossier code. The applicant's citizen id, phone and personal tax code are masked; an admin may add ?reveal=true (written to the message log).",
  })
  @ApiQuery({ name: 'reveal', required: false, enum: ['true'] })
  async show(@Param('ref') ref: string, @Query('reveal') reveal?: string) {
    // Only an admin's reveal reaches here with reveal=true: the interceptor refuses the rest.
    const found = await this.dossiers.find(ref.trim(), { reveal: reveal === 'true' });
    if (!found)
      throw new NotFoundException(
        `no dossier with reference ${ref} (bridge id, S10 item id or agency dossier code)`,
      );
    return found;
  }

  @Get()
  @Roles('operator', 'postal')
  @ApiOperation({ summary: 'List dossiers, newest first' })
  @ApiQuery({ name: 'agency', required: false })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({
    name: 'overdue',
    required: false,
    description: 'true: appointment date passed and not delivered',
  })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  list(
    @Query('agency') agency?: string,
    @Query('status') status?: string,
    @Query('overdue') overdue?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    if (status !== undefined && !isDossierStatus(status))
      throw new BadRequestException(`status: "${status}" is not a dossier status`);
    if (overdue !== undefined && overdue !== 'true' && overdue !== 'false')
      throw new BadRequestException('overdue: must be true or false');
    const take = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(take) || take < 1 || take > 500)
      throw new BadRequestException('limit: must be an integer from 1 to 500');
    const skip = offset === undefined ? 0 : Number(offset);
    if (!Number.isInteger(skip) || skip < 0)
      throw new BadRequestException('offset: must be a non-negative integer');
    return this.dossiers.list({
      agencyCode: agency,
      status,
      overdue: overdue === 'true',
      limit: take,
      offset: skip,
    });
  }
}
