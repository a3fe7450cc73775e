import { randomUUID } from 'node:crypto';
import { ConsumeOutcome, ReceivedMessage } from '@bridge/messaging';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { classifyFailure } from './failure-kind';
import { PostalIngressService } from './postal-ingress.service';
import { PostalTrackingService } from './postal-tracking.service';

/** Where the handler reports failures; a Nest Logger fits. */
export interface HandlerLog {
  error(message: string): void;
  warn(message: string): void;
}

/** Options of {@link PostalMessageHandler}. */
export interface PostalMessageHandlerOptions {
  /** Deliveries of a message whose handling hits a bug before it is dead-lettered. Default 3. */
  maxBugAttempts?: number;
  log?: HandlerLog;
}

/**
 * Decides the fate of one message from `postal.inbound`: a CloudEvent, or a raw tracking event
 * of the postal system. Acknowledged only after the ingress transaction committed. An event
 * that can never be accepted is kept as a dead letter with its reason (visible to operations,
 * replayable) and then acknowledged; an event the bridge refuses is kept so in the ingress
 * transaction, with `postal.event_refused`. A failure is told apart by what it says
 * ({@link classifyFailure}): the database or Redis away pauses the consumer until they are back
 * (the message is held, never dropped nor counted); data the database refuses is dead-lettered
 * at once with the reason; anything else is a bug, logged with an error id, tried again and
 * dead-lettered after a few deliveries. Dead letters sent through the broker reach the bridge's
 * dead letters through the dead-letter queue's reader.
 */
export class PostalMessageHandler {
  private readonly maxBugAttempts: number;

  constructor(
    private readonly ingress: PostalIngressService,
    private readonly tracking: PostalTrackingService,
    private readonly deadLetters: DeadLetterService,
    private readonly options: PostalMessageHandlerOptions = {},
  ) {
    this.maxBugAttempts = options.maxBugAttempts ?? 3;
  }

  /** Any message of `postal.inbound`: a raw tracking event or a CloudEvent, told apart by its body. */
  handle(message: ReceivedMessage): Promise<ConsumeOutcome> {
    return PostalTrackingService.isRaw(message.body)
      ? this.handleRaw(message)
      : this.handleCloudEvent(message);
  }

  /** A CloudEvent (or anything not a raw tracking event: the ingress names what is wrong with it). */
  handleCloudEvent(message: ReceivedMessage): Promise<ConsumeOutcome> {
    return this.decide(message, () => this.cloudEvent(message));
  }

  /** A raw tracking event of the postal system. */
  handleRaw(message: ReceivedMessage): Promise<ConsumeOutcome> {
    return this.decide(message, () => this.raw(message));
  }

  private async decide(
    message: ReceivedMessage,
    take: () => Promise<{ operation: string; reason: string } | undefined>,
  ): Promise<ConsumeOutcome> {
    try {
      const refusal = await take();
      if (refusal) await this.keep(message, refusal.operation, refusal.reason);
      return { action: 'ack' };
    } catch (error) {
      return this.failed(message, error);
    }
  }

  private failed(message: ReceivedMessage, error: unknown): ConsumeOutcome {
    const failure = classifyFailure(error);
    const what = `postal message ${message.messageId ?? '(no id)'}`;
    if (failure.kind === 'unavailable') return { action: 'pause', reason: failure.detail };
    if (failure.kind === 'refused') {
      this.options.log?.warn(`${what} dead-lettered: ${failure.detail}`);
      return { action: 'dead-letter', reason: failure.detail };
    }
    const errorId = randomUUID();
    const attempt = deliveryAttempt(message);
    const stack = error instanceof Error && error.stack ? `\n${error.stack}` : '';
    this.options.log?.error(
      `${what} failed (error id ${errorId}, delivery ${attempt} of ${this.maxBugAttempts}): ${failure.detail}${stack}`,
    );
    if (attempt < this.maxBugAttempts) return { action: 'requeue' };
    if (failure.kind === 'transient')
      return {
        action: 'dead-letter',
        reason: `the database refused it ${attempt} times (error id ${errorId}): ${failure.detail}`,
      };
    return {
      action: 'dead-letter',
      reason: `the bridge failed on this message ${attempt} times (error id ${errorId}): ${failure.detail}`,
    };
  }

  private async cloudEvent(
    message: ReceivedMessage,
  ): Promise<{ operation: string; reason: string } | undefined> {
    const outcome = await this.ingress.accept(message.body, message.correlationId, { keepRefusal: true });
    const operation = typeof message.type === 'string' ? message.type : 'postal.unknown';
    if (outcome.kind === 'invalid') {
      return {
        operation,
        reason: `invalid postal event: ${outcome.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      };
    }
    if (outcome.kind === 'conflict') return { operation, reason: outcome.reason };
    return undefined;
  }

  private async raw(message: ReceivedMessage): Promise<{ operation: string; reason: string } | undefined> {
    const outcome = await this.tracking.accept(message.body, message.correlationId, { keepRefusal: true });
    const operation = 'postal.tracking.raw';
    if (outcome.kind === 'invalid') {
      return {
        operation,
        reason: `invalid raw tracking event: ${outcome.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      };
    }
    if (outcome.kind === 'unmapped') return { operation, reason: outcome.reason };
    if (
      outcome.kind === 'mapped' &&
      (outcome.outcome.kind === 'invalid' || outcome.outcome.kind === 'conflict')
    ) {
      return {
        operation,
        reason: `raw tracking event mapped to ${outcome.type} but not accepted (${outcome.outcome.kind})`,
      };
    }
    return undefined;
  }

  private async keep(message: ReceivedMessage, operation: string, reason: string): Promise<void> {
    await this.deadLetters.recordNow({
      origin: 'inbound',
      operation,
      payload: { message: message.body },
      errorCode: 'PERMANENT',
      reason,
      attempts: [{ at: new Date().toISOString(), code: 'PERMANENT', message: reason }],
      correlationId: message.correlationId,
    });
  }
}

/**
 * Which delivery of the message this is, from the quorum queue's `x-delivery-count` (absent on
 * the first); a classic queue only says whether it was delivered before.
 */
export function deliveryAttempt(message: ReceivedMessage): number {
  const count = Number(message.headers['x-delivery-count']);
  if (Number.isInteger(count) && count >= 0) return count + 1;
  return message.redelivered ? 2 : 1;
}
