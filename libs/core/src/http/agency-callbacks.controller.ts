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
  AdapterKind,
  CallbackReplyFramer,
  CallbackResult,
  ExchangedMessage,
  IntegrationError,
  IntegrationErrorCode,
  toIntegrationError,
} from '@bridge/adapter-sdk';
import { ADAPTER_FACTORIES_TOKEN, AdapterFactoryRegistry } from '../agencies/adapter-factories';
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
    @Inject(ADAPTER_FACTORIES_TOKEN) factories: AdapterFactoryRegistry,
  ) {
    const framer = factories[AdapterKind.Soap].callbackReply;
    // The route's answers are SOAP whichever agency it names (even one that does not exist).
    if (!framer) throw new Error('the soap adapter kind frames no callback replies');
    this.soapReply = framer;
  }

  private readonly soapReply: CallbackReplyFramer;

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
    let result: CallbackResult;
    try {
      result = { ok: true, accepted: (await this.receive(code, request)).length };
    } catch (error) {
      result = this.refusal(code, error);
    }
    // The SOAP kind frames the envelope or fault; this route only sends its bytes and status.
    const reply = this.soapReply(
      { headers: headersOf(request), contentType: request.headers['content-type'] },
      result,
    );
    response.status(reply.status).type(reply.contentType).send(reply.body);
  }

  /**
   * Only a deliberate refusal (an IntegrationError from the adapter or the registry) is the
   * agency's fault; anything else is ours, and its text (SQL, stack) stays in the log. A push
   * naming another agency's dossier is answered 403.
   */
  private refusal(code: string, error: unknown): CallbackResult {
    const sender = error instanceof IntegrationError && error.code !== IntegrationErrorCode.TEMPORARY;
    const status = error instanceof ForeignDossierError ? 403 : undefined;
    if (sender) return { ok: false, blame: 'sender', message: error.message, status };
    let message = 'the bridge could not take the push now; send it again';
    if (!(error instanceof IntegrationError)) {
      const errorId = randomUUID();
      this.logger.error(`SOAP push for ${code} failed, error ${errorId}`, (error as Error)?.stack);
      message = `${message} (error id ${errorId})`;
    }
    return { ok: false, blame: 'receiver', message, status };
  }

  private async receive(code: string, request: RawRequest): Promise<ChangeOutcome[]> {
    const rawBody = request.rawBody ?? (Buffer.isBuffer(request.body) ? request.body : undefined);
    if (!rawBody || rawBody.length === 0) throw IntegrationError.permanent('the callback body is empty');
    const messages: ExchangedMessage[] = [];
    const correlationId = correlationIdOf(request);
    const adapter = this.runtime.adapterFor(code);
    const parsed = await adapter.parseCallback(
      { headers: headersOf(request), rawBody, contentType: request.headers['content-type'] },
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

function headersOf(request: RawRequest): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  );
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
