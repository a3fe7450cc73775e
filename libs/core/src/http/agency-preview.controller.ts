import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AgencyDocument, AgencyNotFoundError, parseAgencyYaml } from '../agencies';
import { Roles } from '../security';
import { CandidateRefusedError, MappingWorkbenchService } from '../workbench';

/**
 * A changed agency file tried against the agency's logged history, over HTTP (the dashboard's
 * "try a change" panel): the body is the agency file as JSON, or `{ "yaml": "<file text>" }`.
 * Nothing is stored and no agency is called.
 */
@ApiTags('agencies')
@ApiBearerAuth()
@Controller('api/v1/agencies')
export class AgencyPreviewController {
  constructor(@Inject(MappingWorkbenchService) private readonly workbench: MappingWorkbenchService) {}

  @Post(':code/preview')
  @HttpCode(200)
  @Roles('admin', 'operator')
  @ApiOperation({
    summary:
      "Replay the agency's logged messages through a changed agency file and the file in force: counts per mapping, examples, dossiers whose conclusion changes",
  })
  @ApiParam({ name: 'code', example: '000.00.53.H48' })
  @ApiQuery({ name: 'since', required: false, example: '30d' })
  @ApiQuery({ name: 'limit', required: false, example: 10000 })
  @ApiResponse({ status: 200, description: 'The comparison; `failing` is true when something now fails' })
  @ApiResponse({ status: 422, description: 'The file is not a valid agency file for this agency' })
  @ApiResponse({ status: 404, description: 'No agency with that code has a file in force' })
  async preview(
    @Param('code') code: string,
    @Body() body: unknown,
    @Query('since') since?: string,
    @Query('limit') limit?: string,
  ) {
    try {
      return await this.workbench.preview(candidateOf(body), { since, limit, expectCode: code });
    } catch (error) {
      if (error instanceof CandidateRefusedError) {
        throw new UnprocessableEntityException({ message: error.message, problems: error.problems });
      }
      if (error instanceof AgencyNotFoundError) throw new NotFoundException(error.message);
      if (error instanceof RangeError) throw new BadRequestException(error.message);
      throw error;
    }
  }
}

function candidateOf(body: unknown): AgencyDocument {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { yaml } = body as { yaml?: unknown };
    if (typeof yaml === 'string' && Object.keys(body).length === 1) return parseAgencyYaml('request', yaml);
    return { file: 'request', data: body, problems: [] };
  }
  throw new BadRequestException(
    'the body must be one agency file as a JSON object, or { "yaml": "<file text>" }',
  );
}
