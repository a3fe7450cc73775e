import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UnprocessableEntityException,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Revealable } from '../http/personal-data/personal-data.interceptor';
import { ApiPrincipal, CurrentPrincipal, Roles } from '../security';
import { DeadLetterActionResult, DeadLetterActionsService } from './dead-letter-actions.service';
import { DeadLetterGroupsService } from './dead-letter-groups.service';
import { DEAD_LETTER_GROUPS_EXAMPLE } from './ops-examples';
import { opsValidationPipe } from './ops-validation';
import { DeadLetterQueryDto, ReplayFilterDto } from './ops.dto';

const uuid = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('id: must be the UUID of a dead letter'),
});

/** Dead letters: see them grouped by cause, look at one, replay or discard. */
@ApiTags('ops')
@ApiBearerAuth()
@Controller('api/v1/ops/dead-letters')
@Roles('operator')
export class DeadLettersController {
  constructor(
    @Inject(DeadLetterGroupsService) private readonly groups: DeadLetterGroupsService,
    @Inject(DeadLetterActionsService) private readonly actions: DeadLetterActionsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Dead letters grouped by error signature, biggest group first, three newest examples each',
  })
  @ApiResponse({ status: 200, description: 'Groups', example: DEAD_LETTER_GROUPS_EXAMPLE })
  list(@Query(opsValidationPipe()) query: DeadLetterQueryDto) {
    return this.groups.groups({
      agencyCode: query.agency,
      errorCode: query.errorCode,
      origin: query.origin,
      state: query.state,
    });
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Replay every open dead letter matching the filter (all given fields must match); { "all": true } replays all',
  })
  @ApiBody({
    type: ReplayFilterDto,
    examples: { byAgency: { value: { agency: '000.00.53.H48', errorCode: 'TEMPORARY' } } },
  })
  @ApiResponse({
    status: 200,
    description: 'How many were replayed; those that could not be, with the reason',
    example: { replayed: 3, failed: [] },
  })
  @ApiResponse({ status: 400, description: 'Unknown or malformed field (named), or an empty filter' })
  replayMatching(
    @Body(opsValidationPipe()) filter: ReplayFilterDto,
    @CurrentPrincipal() principal?: ApiPrincipal,
  ) {
    const { all, ...fields } = filter;
    const given = Object.values(fields).some((v) => v !== undefined);
    if (!given && !all)
      throw new BadRequestException(
        'the filter is empty: give agency, errorCode, signature, origin, from or to — or { "all": true } to replay every open dead letter',
      );
    if (given && all) throw new BadRequestException('all: cannot be combined with other filter fields');
    const from = fields.from ? new Date(fields.from) : undefined;
    const to = fields.to ? new Date(fields.to) : undefined;
    if (from && to && from > to) throw new BadRequestException('from: must not be after to');
    return this.actions.replayMatching(
      {
        agencyCode: fields.agency,
        errorCode: fields.errorCode,
        errorSignature: fields.signature,
        origin: fields.origin,
        from,
        to,
      },
      actor(principal),
    );
  }

  @Get(':id')
  @Revealable('dead letter')
  @ApiOperation({
    summary:
      'One dead letter with its original payload and every attempt; citizen ids, phones and personal tax codes masked. An admin may add ?reveal=true to see them in full (the reveal is written to the message log).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'reveal', required: false, enum: ['true'] })
  @ApiResponse({ status: 403, description: 'reveal=true asked by a role other than admin' })
  @ApiResponse({ status: 404, description: 'No dead letter with that id' })
  async show(@Param('id', uuid) id: string) {
    const found = await this.groups.detail(id);
    if (!found) throw new NotFoundException(`no dead letter with id ${id}`);
    return found;
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Replay one open dead letter: a delivery is enqueued again (same idempotency key); a refused postal event is taken in again',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'Replayed', example: { replayed: true } })
  @ApiResponse({ status: 404, description: 'No dead letter with that id' })
  @ApiResponse({ status: 409, description: 'The dead letter is not open (already replayed or discarded)' })
  @ApiResponse({
    status: 422,
    description: 'It cannot be replayed (e.g. the postal event is still refused); it stays open',
  })
  async replay(@Param('id', uuid) id: string, @CurrentPrincipal() principal?: ApiPrincipal) {
    answer(id, await this.actions.replay(id, actor(principal)), 'replayed');
    return { replayed: true };
  }

  @Post(':id/discard')
  @HttpCode(200)
  @ApiOperation({ summary: 'Discard one open dead letter: a person decided it needs no delivery' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, description: 'Discarded', example: { discarded: true } })
  @ApiResponse({ status: 404, description: 'No dead letter with that id' })
  @ApiResponse({ status: 409, description: 'The dead letter is not open' })
  async discard(@Param('id', uuid) id: string, @CurrentPrincipal() principal?: ApiPrincipal) {
    answer(id, await this.actions.discard(id, actor(principal)), 'discarded');
    return { discarded: true };
  }
}

function actor(principal?: ApiPrincipal): string {
  return principal ? `${principal.role}:${principal.name}` : 'api';
}

/** Turns a failed action into its HTTP answer; returns when it was done. */
function answer(id: string, result: DeadLetterActionResult, verb: string): void {
  switch (result.kind) {
    case 'done':
      return;
    case 'not_found':
      throw new NotFoundException(`no dead letter with id ${id}`);
    case 'not_open':
      throw new ConflictException(`dead letter ${id} is not open (${result.state}); it cannot be ${verb}`);
    case 'refused':
      throw new UnprocessableEntityException(`dead letter ${id} was not ${verb}: ${result.reason}`);
  }
}
