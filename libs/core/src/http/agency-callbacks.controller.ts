import {
  BadRequestException,
  Controller,
  ForbiddenException,
  HttpCode,
  HttpException,
  Inject,
  Logger,
  Param,
  Post,
  Req,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  ExchangedMessage,
  IntegrationError,
  IntegrationErrorCode,
  toIntegrationError,
} from '@bridge/adapter-sdk';
import { buildRawEnvelope, buildSoapFault, faultHttpStatus, SoapVersion } from '@bridge/adapter-soap';
import { AgencyChangesService, ChangeOutcome, ForeignDossierError } from '../delivery/agency-changes.service';
import { AgencyRuntime } from '../delivery/agency-runtime';
import { PollHealthRecorder } from '../delivery/poll-health';
import { correlationIdOf } from '../logging';
import { Roles } from '../security';
import { IngressThrottlerGuard } from './ingress-limit/ingress-throttler.guard';

type RawRequest = Request & { rawBody?: Buffer };

/**
 * Pushes from agencies: REST (JSON, HMAC-signed or with the agency's own key) and SOAP. The
 * adapter verifies and decodes; the changes are applied in one transaction before we answer.
 */
@ApiTags('agency callbacks')
@ApiBearerAuth()
@Controller()
@UseGuards(IngressThrottlerGuard)
export class AgencyCallbacksController {
  private readonly logger = new Logger(AgencyCallbacksController.name);

  constructor(
    @Inject(AgencyRuntime) private readonly runtime: AgencyRuntime,
    @Inject(AgencyChangesService) private readonly changes: AgencyChangesService,
    @Inject(PollHealthRecorder) private readonly health: PollHealthRecorder,
  ) {}

  @Post('api/v1/agencies/:code/callback')
  @HttpCode(200)
  @Roles('agency')
  @ApiOperation({ summary: 'An agency pushes status changes (its own agency only)' })
  async rest(@Param('code') code: string, @Req() request: RawRequest) {
    try {
      const outcomes = await this.receive(code, request);
      return { accepted: outcomes.length, outcomes };
    } catch (error) {
      throw httpErrorOf(error);
    }
  }

  @Post('soap/agencies/:code')
  @Roles('agency')
  @ApiOperation({
    summary: 'An agency pushes status changes as SOAP 1.1 or 1.2; failures answer with a SOAP fault',
  })
  async soap(@Param('code') code: string, @Req() request: RawRequest, @Res() response: Response) {
    const version: SoapVersion = (request.headers['content-type'] ?? '').includes('application/soap+xml')
      ? '1.2'
      : '1.1';
    const contentType = version === '1.2' ? 'application/soap+xml; charset=utf-8' : 'text/xml; charset=utf-8';
    try {
      const outcomes = await this.receive(code, request);
      const body = buildRawEnvelope(version, {
        'b:CallbackResult': { '@_xmlns:b': 'urn:postal-one-stop-bridge', 'b:Accepted': outcomes.length },
      });
      response.status(200).type(contentType).send(body);
    } catch (error) {
      // A push naming another agency's dossier is answered 403 with a Client fault.
      // Only a deliberate refusal (an IntegrationError from the adapter or the registry) is the
      // agency's fault; anything else is ours, and its text (SQL, stack) stays in the log.
      const client = error instanceof IntegrationError && error.code !== IntegrationErrorCode.TEMPORARY;
      let reason = 'the bridge could not take the push now; send it again';
      if (!(error instanceof IntegrationError)) {
        const errorId = randomUUID();
        this.logger.error(`SOAP push for ${code} failed, error ${errorId}`, (error as Error)?.stack);
        reason = `${reason} (error id ${errorId})`;
      }
      const fault = buildSoapFault(version, client ? 'Client' : 'Server', client ? error.message : reason);
      response
        .status(
          error instanceof ForeignDossierError ? 403 : faultHttpStatus(version, client ? 'Client' : 'Server'),
        )
        .type(contentType)
        .send(fault);
    }
  }

  private async receive(code: string, request: RawRequest): Promise<ChangeOutcome[]> {
    const rawBody = request.rawBody ?? (Buffer.isBuffer(request.body) ? request.body : undefined);
    if (!rawBody || rawBody.length === 0) throw IntegrationError.permanent('the callback body is empty');
    const messages: ExchangedMessage[] = [];
    const correlationId = correlationIdOf(request);
    const adapter = this.runtime.adapterFor(code);
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
    );
    const parsed = await adapter.parseCallback(
      { headers, rawBody, contentType: request.headers['content-type'] },
      { correlationId, record: (m) => messages.push(m) },
    );
    let outcomes;
    try {
      outcomes = await this.changes.apply(code, parsed, {
        messages,
        correlationId,
        via: 'callback',
        onForeign: 'throw',
      });
    } catch (error) {
      // Refused whole (403); an operator should know an agency reached for others' dossiers.
      if (error instanceof ForeignDossierError)
        this.logger.warn(`agency ${code} pushed changes for dossiers not its own: ${error.refs.join(', ')}`);
      throw error;
    }
    // The agency is reporting: as good as a successful poll for its health.
    await this.health
      .succeeded(code, 'callback')
      .catch((error) => this.logger.warn(`poll health of ${code} not recorded: ${String(error)}`));
    return outcomes;
  }
}

function httpErrorOf(error: unknown): HttpException {
  if (error instanceof HttpException) return error;
  if (error instanceof ForeignDossierError) return new ForbiddenException(error.message);
  const integration = toIntegrationError(error);
  switch (integration.code) {
    case IntegrationErrorCode.AUTH:
      return new UnauthorizedException(integration.message);
    case IntegrationErrorCode.PERMANENT:
    case IntegrationErrorCode.NOT_FOUND:
      return new BadRequestException(integration.message);
    default:
      throw error;
  }
}
