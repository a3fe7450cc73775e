import {
  BadRequestException,
  Body,
  Controller,
  ConflictException,
  Headers,
  HttpCode,
  Post,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IngressOutcome, PostalIngressService } from '../ingress/postal-ingress.service';
import { Roles } from '../security';
import { binaryModeEvent, mediaType } from './cloudevents-binary';
import { IngressThrottlerGuard } from './ingress-limit/ingress-throttler.guard';

const EXAMPLE = {
  specversion: '1.0',
  id: '5f0c7a4e-1d2b-4c55-9a61-0c1f6f1d2e33',
  source: '/vnpost/tracking',
  type: 'postal.result.delivered',
  time: '2026-03-02T09:15:00+07:00',
  datacontenttype: 'application/json',
  data: { itemId: 'EC136431858VN', office: 'Bưu cục Hải Châu', at: '2026-03-02T09:15:00+07:00' },
};

/**
 * The body parser reads exactly these as JSON: a structured-mode CloudEvent (or batch), or the
 * JSON data of a binary-mode one.
 */
const JSON_TYPES = ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'];

/**
 * Without a JSON content type the body is never parsed, and the validator would only say the
 * event "must be a JSON object"; the sender needs to hear that the header is the problem.
 */
function checkContentType(contentType: string | undefined): void {
  const type = mediaType(contentType);
  if (JSON_TYPES.includes(type)) return;
  throw new UnsupportedMediaTypeException(
    `Content-Type must be one of ${JSON_TYPES.join(', ')}; got ${type === '' ? 'none' : `"${type}"`}`,
  );
}

/**
 * The same postal events as `postal.inbound`, over HTTP: one CloudEvent or a batch (array) in
 * structured mode, or one CloudEvent in binary mode (`ce-*` headers, the data as the body).
 */
@ApiTags('postal')
@ApiBearerAuth()
@Controller('api/v1/postal/events')
@UseGuards(IngressThrottlerGuard)
export class PostalEventsController {
  constructor(private readonly ingress: PostalIngressService) {}

  @Post()
  @HttpCode(202)
  @Roles('postal', 'operator')
  @ApiOperation({
    summary: 'Publish one postal CloudEvent, or a batch as a JSON array (applied all or nothing)',
    description:
      'Structured mode: the CloudEvent (or an array of them) is the body. Binary mode: each attribute in a ce-<name> header (percent-encoded; ce-specversion required), the data as the body, Content-Type application/json.',
  })
  @ApiBody({ schema: { example: EXAMPLE } })
  @ApiResponse({
    status: 202,
    description: 'Accepted and committed; each event with its outcome (applied, noted, parked, duplicate)',
  })
  @ApiResponse({
    status: 400,
    description: 'Invalid event: every problem with its field path; nothing applied',
  })
  @ApiResponse({ status: 409, description: 'The event id was already used for different content' })
  @ApiResponse({
    status: 422,
    description: 'Valid but refused (unknown agency, procedure not by post, impossible transition)',
  })
  @ApiResponse({ status: 413, description: 'The body is larger than the limit' })
  @ApiResponse({ status: 415, description: 'The Content-Type is not a JSON CloudEvents type' })
  async publish(
    @Body() payload: unknown,
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-correlation-id') correlationId?: string,
  ) {
    checkContentType(contentType);
    const body = binaryModeEvent(headers, payload) ?? payload;
    const batch = Array.isArray(body);
    const docs = batch ? body : [body];
    if (docs.length === 0) throw new BadRequestException('the batch is empty');
    if (docs.length > 500)
      throw new BadRequestException(`a batch holds at most 500 events, got ${docs.length}`);
    const outcomes = await this.ingress.acceptBatch(docs, correlationId);
    const invalid = outcomes.flatMap((o, index) =>
      o.kind === 'invalid' && o.errors.length > 0 ? [{ index, errors: o.errors }] : [],
    );
    if (invalid.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: invalid.flatMap((i) =>
          i.errors.map((e) => `${batch ? `[${i.index}] ` : ''}${e.path}: ${e.message}`),
        ),
        invalid,
      });
    }
    const view = outcomes.map(describe);
    const conflicts = outcomes.filter((o) => o.kind === 'conflict');
    if (conflicts.length > 0 && !batch)
      throw new ConflictException({ statusCode: 409, error: 'Conflict', message: view[0].reason });
    const refused = outcomes.filter((o) => o.kind === 'refused');
    if (refused.length > 0 && !batch) {
      throw new UnprocessableEntityException({
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: view[0].reason,
        outcome: view[0],
      });
    }
    return batch ? { outcomes: view } : view[0];
  }
}

function describe(outcome: IngressOutcome): {
  eventId?: string;
  outcome: string;
  dossierId?: string;
  status?: string;
  sequence?: number;
  reason?: string;
} {
  switch (outcome.kind) {
    case 'accepted':
      return {
        eventId: outcome.eventId,
        outcome: outcome.result.kind,
        dossierId: outcome.result.dossierId,
        status: 'status' in outcome.result ? outcome.result.status : undefined,
        sequence: 'sequence' in outcome.result ? outcome.result.sequence : undefined,
        reason: 'reason' in outcome.result ? outcome.result.reason : undefined,
      };
    case 'duplicate':
      return { eventId: outcome.eventId, outcome: 'duplicate', dossierId: outcome.dossierId };
    case 'conflict':
    case 'refused':
      return { eventId: outcome.eventId, outcome: outcome.kind, reason: outcome.reason };
    case 'invalid':
      return { outcome: 'invalid' };
  }
}
