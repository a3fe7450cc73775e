import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { ConsumeOutcome, ManualAckContext, ReceivedMessage } from '@bridge/messaging';
import { DeadQueueReader } from './dead-queue-reader';
import { PostalMessageHandler } from './postal-message.handler';
import { PostalTrackingService } from './postal-tracking.service';

/** A CloudEvent on `postal.inbound` — or anything that is not a raw tracking event. */
export const POSTAL_EVENT_PATTERN = 'postal.event';
/** A raw tracking event of the postal system on `postal.inbound`. */
export const POSTAL_RAW_TRACKING_PATTERN = 'postal.tracking.raw';
/** A message of `postal.inbound`'s dead-letter queue. */
export const POSTAL_DEAD_LETTER_PATTERN = 'postal.dead-letter';

/**
 * The pattern of a message of `postal.inbound`, from its body. Every message has one of the two:
 * a CloudEvent's type is not a pattern, because a type the bridge does not know is for the
 * ingress to refuse in its transaction (kept, and announced with `postal.event_refused`), not for
 * the transport to dead-letter unheard.
 */
export function postalInboundPattern(message: ReceivedMessage): string {
  return PostalTrackingService.isRaw(message.body) ? POSTAL_RAW_TRACKING_PATTERN : POSTAL_EVENT_PATTERN;
}

/**
 * The ingress handlers of the postal transport (`postal-consumer.module.ts`). Each returns the
 * message's {@link ConsumeOutcome}, which the transport carries out: ack once the ingress
 * transaction committed, requeue or dead-letter by error class, pause while the database is away
 * (docs/architecture.md, rules 1 and 9).
 */
@Controller()
export class PostalInboundController {
  constructor(
    @Inject(PostalMessageHandler) private readonly handler: PostalMessageHandler,
    @Inject(DeadQueueReader) private readonly deadQueue: DeadQueueReader,
  ) {}

  @EventPattern(POSTAL_EVENT_PATTERN)
  postalEvent(@Ctx() context: ManualAckContext): Promise<ConsumeOutcome> {
    return this.handler.handleCloudEvent(context.getMessage());
  }

  @EventPattern(POSTAL_RAW_TRACKING_PATTERN)
  rawTracking(@Ctx() context: ManualAckContext): Promise<ConsumeOutcome> {
    return this.handler.handleRaw(context.getMessage());
  }

  /** Each dead-lettered postal message becomes a visible, replayable dead letter. */
  @EventPattern(POSTAL_DEAD_LETTER_PATTERN)
  deadLetter(@Ctx() context: ManualAckContext): Promise<ConsumeOutcome> {
    return this.deadQueue.handle(context.getMessage());
  }
}
