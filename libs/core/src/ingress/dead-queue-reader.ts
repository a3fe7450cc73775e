import { createHash } from 'node:crypto';
import {
  ConsumeOutcome,
  DEAD_LETTER_REASON_HEADER,
  DEAD_LETTERED_AT_HEADER,
  ReceivedMessage,
} from '@bridge/messaging';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { classifyFailure } from './failure-kind';
import { HandlerLog } from './postal-message.handler';

/** Longest excerpt of a message kept when the database refuses the message itself. */
const EXCERPT_LENGTH = 4_000;

/** The inbox source under which each dead-lettered message is recorded once. */
export const DEAD_QUEUE_SOURCE = 'postal-dead-queue';

/**
 * Reads `bridge.postal-inbound.dead` — the postal messages the consumer dead-lettered (data the
 * database refuses, a bug met on every delivery) and those RabbitMQ dead-lettered itself (past
 * the queue's delivery limit) — into the bridge's dead letters, where operations see them on
 * the dashboard and replay them once the cause is mended. It never dead-letters in turn: a
 * dead letter from the dead-letter queue would have nowhere to go.
 */
export class DeadQueueReader {
  constructor(
    private readonly deadLetters: DeadLetterService,
    private readonly log?: HandlerLog,
  ) {}

  async handle(message: ReceivedMessage): Promise<ConsumeOutcome> {
    const { errorCode, reason } = whyDead(message);
    const letter = {
      origin: 'inbound' as const,
      operation: message.type ?? operationOf(message.body),
      errorCode,
      reason,
      attempts: [{ at: new Date().toISOString(), code: errorCode, message: reason }],
      correlationId: message.correlationId,
    };
    const key = { source: DEAD_QUEUE_SOURCE, eventId: deathKey(message) };
    try {
      await this.deadLetters.recordOnce(key, { ...letter, payload: { message: message.body } });
      return { action: 'ack' };
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === 'unavailable') return { action: 'pause', reason: failure.detail };
      if (failure.kind !== 'refused') {
        this.log?.error(`dead-lettered postal message not recorded (retried): ${failure.detail}`);
        return { action: 'requeue' };
      }
    }
    // Even the dead letter is refused (e.g. text no column holds): an excerpt says what it was.
    const excerpt = JSON.stringify(message.body)
      .replace(/\\u0000/g, '')
      .slice(0, EXCERPT_LENGTH);
    await this.deadLetters.recordOnce(key, {
      ...letter,
      reason: `${reason} (the message itself could not be stored; an excerpt is kept)`,
      payload: { excerpt },
    });
    return { action: 'ack' };
  }
}

/**
 * Names one dead-lettering of one message, the same however often the dead-letter queue
 * delivers it: its content, id, and when and why it died (our header, or RabbitMQ's `x-death`
 * with its count). The same event dead-lettered again later gets a new key.
 */
export function deathKey(message: ReceivedMessage): string {
  const deaths = Array.isArray(message.headers['x-death'])
    ? (message.headers['x-death'] as Array<Record<string, unknown>>).map((d) => [
        d.reason,
        d.queue,
        d.count,
        d.time,
      ])
    : [];
  return createHash('sha256')
    .update(message.raw.content)
    .update(
      JSON.stringify([
        message.messageId ?? null,
        message.headers[DEAD_LETTERED_AT_HEADER] ?? null,
        message.headers[DEAD_LETTER_REASON_HEADER] ?? null,
        deaths,
      ]),
    )
    .digest('hex');
}

/** The reason the consumer wrote, or the one RabbitMQ gives in `x-death`. */
function whyDead(message: ReceivedMessage): { errorCode: string; reason: string } {
  const ours = message.headers[DEAD_LETTER_REASON_HEADER];
  if (typeof ours === 'string' && ours !== '') {
    if (ours.startsWith('the database refused')) return { errorCode: 'DATABASE_REFUSED', reason: ours };
    if (ours.startsWith('the bridge failed')) return { errorCode: 'HANDLER_FAILED', reason: ours };
    return { errorCode: 'PERMANENT', reason: ours };
  }
  const deaths = message.headers['x-death'];
  const first = Array.isArray(deaths) ? (deaths[0] as { reason?: unknown; queue?: unknown }) : undefined;
  if (first?.reason === 'delivery_limit')
    return {
      errorCode: 'DELIVERY_LIMIT',
      reason: `RabbitMQ dead-lettered it from ${typeof first.queue === 'string' ? first.queue : 'its queue'}: delivered more often than the queue's delivery limit`,
    };
  return {
    errorCode: 'DEAD_LETTERED',
    reason: `RabbitMQ dead-lettered it (${typeof first?.reason === 'string' ? first.reason : 'no reason given'})`,
  };
}

function operationOf(body: unknown): string {
  const type = (body as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.length <= 128 ? type : 'postal.unknown';
}
