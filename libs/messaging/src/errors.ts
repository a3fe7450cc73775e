/** Why a messaging operation failed; lets callers branch without parsing messages. */
export enum MessagingErrorCode {
  /** No live broker connection, and none came back within the wait. */
  NOT_CONNECTED = 'NOT_CONNECTED',
  /** The broker refused the message (basic.nack). */
  NACKED = 'NACKED',
  /** The channel or connection closed before the broker confirmed. */
  CHANNEL_CLOSED = 'CHANNEL_CLOSED',
  /** No confirm arrived in time; the message may or may not have been stored. */
  TIMEOUT = 'TIMEOUT',
  /** The manager, publisher or consumer was closed. */
  CLOSED = 'CLOSED',
  /** The caller passed something unusable (e.g. an event without an id). */
  INVALID_ARGUMENT = 'INVALID_ARGUMENT',
}

/**
 * The one error class of the messaging layer. Every publish failure is safe to retry: the outbox
 * relay leaves the row unpublished, and consumers deduplicate by CloudEvent id.
 */
export class MessagingError extends Error {
  override readonly name = 'MessagingError';

  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
