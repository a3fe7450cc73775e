import { ConsumeOutcome, ReceivedMessage } from '@bridge/messaging';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { PostalIngressService } from './postal-ingress.service';

/**
 * Decides the fate of one message from `postal.inbound`. Acknowledged only after the ingress
 * transaction committed. An event that can never be accepted is kept as a dead letter with
 * its reason (visible to operations, replayable) and then acknowledged; when the database
 * itself is away the message is requeued, never dropped.
 */
export class PostalMessageHandler {
  constructor(
    private readonly ingress: PostalIngressService,
    private readonly deadLetters: DeadLetterService,
  ) {}

  async handle(message: ReceivedMessage): Promise<ConsumeOutcome> {
    try {
      const outcome = await this.ingress.accept(message.body, message.correlationId);
      if (outcome.kind === 'invalid' || outcome.kind === 'conflict') {
        const reason =
          outcome.kind === 'invalid'
            ? `invalid postal event: ${outcome.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`
            : outcome.reason;
        await this.deadLetters.recordNow({
          origin: 'inbound',
          operation: typeof message.type === 'string' ? message.type : 'postal.unknown',
          payload: { message: message.body },
          errorCode: 'PERMANENT',
          reason,
          attempts: [{ at: new Date().toISOString(), code: 'PERMANENT', message: reason }],
          correlationId: message.correlationId,
        });
      }
      return { action: 'ack' };
    } catch {
      // The database (or Redis) is away: the message waits in the queue.
      return { action: 'requeue' };
    }
  }
}
