import { ConsumeOutcome, ReceivedMessage } from '@bridge/messaging';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { PostalIngressService } from './postal-ingress.service';
import { PostalTrackingService } from './postal-tracking.service';

/**
 * Decides the fate of one message from `postal.inbound`: a CloudEvent, or a raw tracking event
 * of the postal system. Acknowledged only after the ingress transaction committed. A message
 * that can never be accepted is kept as a dead letter with its reason (visible to operations,
 * replayable) and then acknowledged; when the database itself is away the message is requeued,
 * never dropped.
 */
export class PostalMessageHandler {
  constructor(
    private readonly ingress: PostalIngressService,
    private readonly tracking: PostalTrackingService,
    private readonly deadLetters: DeadLetterService,
  ) {}

  async handle(message: ReceivedMessage): Promise<ConsumeOutcome> {
    try {
      const refusal = PostalTrackingService.isRaw(message.body)
        ? await this.raw(message)
        : await this.cloudEvent(message);
      if (refusal) await this.keep(message, refusal.operation, refusal.reason);
      return { action: 'ack' };
    } catch {
      // The database (or Redis) is away: the message waits in the queue.
      return { action: 'requeue' };
    }
  }

  private async cloudEvent(
    message: ReceivedMessage,
  ): Promise<{ operation: string; reason: string } | undefined> {
    const outcome = await this.ingress.accept(message.body, message.correlationId);
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
    const outcome = await this.tracking.accept(message.body, message.correlationId);
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
