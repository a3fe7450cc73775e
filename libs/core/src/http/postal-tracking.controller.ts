import {
  BadRequestException,
  Body,
  Controller,
  Headers,
  HttpCode,
  Post,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PostalTrackingService, TrackingOutcome } from '../ingress/postal-tracking.service';
import { Roles } from '../security';
import { IngressThrottlerGuard } from './ingress-limit/ingress-throttler.guard';

/** The postal tracking system's own events, without translating them to CloudEvents first. */
@ApiTags('postal')
@ApiBearerAuth()
@Controller('api/v1/postal/tracking')
@UseGuards(IngressThrottlerGuard)
export class PostalTrackingController {
  constructor(private readonly tracking: PostalTrackingService) {}

  @Post()
  @HttpCode(202)
  @Roles('postal', 'operator')
  @ApiOperation({
    summary:
      'Raw tracking events (item id, UPU EMSEVT or operator event code, office, time), one or an array',
    description:
      'Mapped to postal event types through config/postal/tracking-codes.yaml, per leg (inbound or result shipment).',
  })
  @ApiBody({
    schema: {
      example: {
        itemId: 'EC136431858VN',
        eventCode: 'EMI',
        office: 'Bưu cục Hải Châu',
        time: '2026-03-02T09:15:00+07:00',
      },
    },
  })
  @ApiResponse({
    status: 202,
    description: 'Each event mapped (and applied), or ignored because its code moves nothing',
  })
  @ApiResponse({ status: 400, description: 'Invalid event, naming the field' })
  @ApiResponse({
    status: 422,
    description: 'The event code is not in the table for its leg, or the leg is unknown',
  })
  async publish(@Body() body: unknown, @Headers('x-correlation-id') correlationId?: string) {
    const docs = Array.isArray(body) ? (body as unknown[]) : [body];
    if (docs.length === 0 || docs.length > 500)
      throw new BadRequestException('send 1 to 500 tracking events');
    const outcomes: TrackingOutcome[] = [];
    for (const doc of docs) outcomes.push(await this.tracking.accept(doc, correlationId));
    const view = outcomes.map(describe);
    if (!Array.isArray(body)) {
      const [one] = outcomes;
      if (one.kind === 'invalid')
        throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: view[0].errors });
      if (one.kind === 'unmapped') throw new UnprocessableEntityException(one.reason);
      return view[0];
    }
    return { outcomes: view };
  }
}

function describe(outcome: TrackingOutcome): {
  outcome: string;
  type?: string;
  result?: string;
  reason?: string;
  errors?: string[];
} {
  switch (outcome.kind) {
    case 'invalid':
      return { outcome: 'invalid', errors: outcome.errors.map((e) => `${e.path}: ${e.message}`) };
    case 'ignored':
    case 'unmapped':
      return { outcome: outcome.kind, reason: outcome.reason };
    case 'mapped':
      return {
        outcome: 'mapped',
        type: outcome.type,
        result: outcome.outcome.kind === 'accepted' ? outcome.outcome.result.kind : outcome.outcome.kind,
        reason: 'reason' in outcome.outcome ? outcome.outcome.reason : undefined,
      };
  }
}
