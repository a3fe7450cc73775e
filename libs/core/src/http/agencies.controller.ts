import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Put,
  UnprocessableEntityException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdapterFactory, AdapterKind, AdapterStore } from '@bridge/adapter-sdk';
import {
  ADAPTER_FACTORIES_TOKEN,
  AgencyNotFoundError,
  AgencyRegistryService,
  AgencyValidationError,
} from '../agencies';
import { checkAgencyLive } from '../delivery/agency-check';
import { ADAPTER_STORE } from '../runtime/tokens';
import { adapterLogger } from '../runtime/nest-loggers';
import { ApiPrincipal, CurrentPrincipal, Roles } from '../security';

/**
 * Agency registration over HTTP: the same validation and all-or-nothing apply as
 * `bridge agencies apply`; a body is one agency file as JSON (or an array of them for POST).
 */
@ApiTags('agencies')
@ApiBearerAuth()
@Controller('api/v1/agencies')
export class AgenciesController {
  constructor(
    private readonly registry: AgencyRegistryService,
    @Inject(ADAPTER_FACTORIES_TOKEN) private readonly factories: Record<AdapterKind, AdapterFactory>,
    @Inject(ADAPTER_STORE) private readonly store: AdapterStore,
  ) {}

  @Get()
  @Roles('operator')
  @ApiOperation({ summary: 'Every agency with its current adapter spec (secrets masked)' })
  list() {
    return this.registry.list();
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Register agencies: one agency file as JSON, or an array; validated first, all or nothing',
  })
  @ApiResponse({
    status: 422,
    description: 'Every problem of every file with its JSON path; nothing changed',
  })
  async create(@Body() body: unknown, @CurrentPrincipal() principal?: ApiPrincipal) {
    const docs = ((Array.isArray(body) ? body : [body]) as unknown[]).map((data, i) => ({
      file: `request[${i}]`,
      data,
      problems: [],
    }));
    return this.apply(docs, principal);
  }

  @Get(':code')
  @Roles('operator')
  async show(@Param('code') code: string) {
    try {
      return await this.registry.show(code);
    } catch (error) {
      throw this.httpError(error);
    }
  }

  @Put(':code')
  @Roles('admin')
  @ApiOperation({
    summary:
      'Create or replace one agency; a new adapter version takes effect in running workers within seconds',
  })
  async put(
    @Param('code') code: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal?: ApiPrincipal,
  ) {
    const data = body as { code?: unknown } | null;
    if (!data || typeof data !== 'object' || Array.isArray(data))
      throw new BadRequestException('the body must be one agency file as a JSON object');
    if (data.code !== undefined && data.code !== code) {
      throw new BadRequestException(
        `code: the body names agency ${JSON.stringify(data.code)} but the URL names "${code}"`,
      );
    }
    const [result] = await this.apply(
      [{ file: `agency ${code}`, data: { ...data, code }, problems: [] }],
      principal,
    );
    return result;
  }

  @Delete(':code')
  @Roles('admin')
  @ApiOperation({ summary: 'Retire an agency: it takes no new dossiers and keeps the ones it has' })
  async retire(@Param('code') code: string) {
    try {
      return await this.registry.retire(code);
    } catch (error) {
      throw this.httpError(error);
    }
  }

  @Post(':code/test')
  @HttpCode(200)
  @Roles('admin', 'operator')
  @ApiOperation({
    summary: "Run the conformance checks against the agency's sandbox, or its live endpoint in dry-run mode",
  })
  async test(@Param('code') code: string) {
    const active = (await this.registry.currentSpecs()).find((a) => a.code === code);
    if (!active) throw new NotFoundException(`agency ${code} is not registered or has no adapter`);
    const view = await this.registry.show(code);
    const procedure = view.procedures.find((p) => p.byPost) ?? view.procedures[0];
    const report = await checkAgencyLive(
      { ...active, procedureCode: procedure?.code ?? '1.000000' },
      this.factories,
      {
        logger: adapterLogger(`agency-test:${code}`),
        store: this.store,
      },
    );
    return {
      agency: code,
      target: report.target,
      dryRun: report.dryRun,
      passed: report.passed,
      results: report.results,
    };
  }

  private async apply(docs: { file: string; data: unknown; problems: never[] }[], principal?: ApiPrincipal) {
    try {
      return await this.registry.apply(docs, {
        appliedBy: principal ? `${principal.role}:${principal.name}` : 'api',
        viaApi: true,
      });
    } catch (error) {
      throw this.httpError(error);
    }
  }

  private httpError(error: unknown): unknown {
    if (error instanceof AgencyValidationError) {
      return new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: 'agency file not applied; nothing was changed',
        problems: error.problems,
      });
    }
    if (error instanceof AgencyNotFoundError) return new NotFoundException(error.message);
    return error;
  }
}
