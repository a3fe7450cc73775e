import type { ConsumeMessage } from 'amqplib';

/**
 * What a handler decided about a message:
 * - `ack`: done (its effects are committed);
 * - `dead-letter`: it can never be accepted; kept in the dead-letter queue with the reason;
 * - `requeue`: a transient failure; delivered again after a pause (a delivery the broker counts);
 * - `pause`: something the handler stands on (the database) is away: the consumer keeps the
 *   message unsettled, stops taking deliveries and tries it again once its probe says the
 *   dependency is back — no redelivery, so an outage of any length never reaches the delivery limit.
 */
export type ConsumeOutcome =
  | { action: 'ack' }
  | { action: 'dead-letter'; reason: string }
  | { action: 'requeue' }
  | { action: 'pause'; reason: string };

/** A delivered message as a handler sees it. */
export interface ReceivedMessage {
  /** The body parsed as JSON; still unvalidated. */
  body: unknown;
  /** AMQP `messageId` (the CloudEvent id for bridge messages). */
  messageId: string | undefined;
  /** AMQP `type` (the CloudEvent type for bridge messages). */
  type: string | undefined;
  correlationId: string | undefined;
  headers: Record<string, unknown>;
  exchange: string;
  routingKey: string;
  /** True when the broker delivered it before (to us or another consumer). */
  redelivered: boolean;
  /** The untouched amqplib message, for anything not surfaced above. */
  raw: ConsumeMessage;
}

/** Decides the fate of one message. A throw counts as `requeue` and is logged. */
export type MessageHandler = (message: ReceivedMessage) => Promise<ConsumeOutcome>;

/** The outcome used when a body cannot be parsed. */
export const INVALID_JSON_REASON = 'body is not valid JSON';

/**
 * Parses the body; a non-JSON body becomes a dead-letter outcome instead of an exception, or,
 * with `keepText`, reaches the handler as its text.
 */
export function decodeDelivery(message: ConsumeMessage, keepText = false): ReceivedMessage | ConsumeOutcome {
  let body: unknown;
  try {
    body = JSON.parse(message.content.toString('utf8'));
  } catch {
    if (!keepText) return { action: 'dead-letter', reason: INVALID_JSON_REASON };
    body = message.content.toString('utf8');
  }
  const properties = message.properties;
  return {
    body,
    messageId: stringOrUndefined(properties.messageId),
    type: stringOrUndefined(properties.type),
    correlationId: stringOrUndefined(properties.correlationId),
    headers: { ...properties.headers },
    exchange: message.fields.exchange,
    routingKey: message.fields.routingKey,
    redelivered: message.fields.redelivered,
    raw: message,
  };
}

/** Rejects anything a handler returns that is not a {@link ConsumeOutcome}, naming what it got. */
export function assertOutcome(value: unknown): ConsumeOutcome {
  const candidate = value as { action?: unknown; reason?: unknown } | null | undefined;
  const action = candidate?.action;
  if (action === 'ack' || action === 'requeue') return { action };
  if (
    (action === 'dead-letter' || action === 'pause') &&
    typeof candidate?.reason === 'string' &&
    candidate.reason !== ''
  ) {
    return { action, reason: candidate.reason };
  }
  throw new TypeError(
    `message handler returned ${JSON.stringify(value)}; expected { action: 'ack' | 'requeue' } or { action: 'dead-letter' | 'pause', reason }`,
  );
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
