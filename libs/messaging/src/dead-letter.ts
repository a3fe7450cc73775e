import type { Message, Options } from 'amqplib';

/** Why the message was dead-lettered, in words a person can act on. */
export const DEAD_LETTER_REASON_HEADER = 'x-dead-letter-reason';
/** When it was dead-lettered (ISO 8601). */
export const DEAD_LETTERED_AT_HEADER = 'x-dead-lettered-at';
/** Queue it was consumed from. */
export const ORIGINAL_QUEUE_HEADER = 'x-original-queue';
/** Exchange and routing key it was first published with, so a replay can send it back there. */
export const ORIGINAL_EXCHANGE_HEADER = 'x-original-exchange';
export const ORIGINAL_ROUTING_KEY_HEADER = 'x-original-routing-key';

/** Reasons longer than this are cut: AMQP header tables are limited to 64 KiB in all. */
const MAX_REASON_LENGTH = 2_000;

/**
 * Properties for forwarding `message` unchanged to a dead-letter exchange: the original
 * properties and headers, plus the reason and where it came from. Always persistent.
 */
export function deadLetterProperties(
  message: Message,
  reason: string,
  queue: string,
  now = new Date(),
): Options.Publish {
  const original = message.properties;
  const properties: Options.Publish = {
    persistent: true,
    contentType: original.contentType as string | undefined,
    contentEncoding: original.contentEncoding as string | undefined,
    messageId: original.messageId as string | undefined,
    type: original.type as string | undefined,
    correlationId: original.correlationId as string | undefined,
    timestamp: original.timestamp as number | undefined,
    appId: original.appId as string | undefined,
    headers: {
      ...original.headers,
      [DEAD_LETTER_REASON_HEADER]:
        reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason,
      [DEAD_LETTERED_AT_HEADER]: now.toISOString(),
      [ORIGINAL_QUEUE_HEADER]: queue,
      [ORIGINAL_EXCHANGE_HEADER]: message.fields.exchange,
      [ORIGINAL_ROUTING_KEY_HEADER]: message.fields.routingKey,
    },
  };
  // amqplib would encode an explicit undefined as an empty field; leave absent ones absent.
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
}
