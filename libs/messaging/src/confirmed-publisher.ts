import type { ConfirmChannel, Options } from 'amqplib';
import { AmqpConnectionManager } from './amqp-connection';
import { MessagingError, MessagingErrorCode } from './errors';
import { MessagingLogger, errorContext, silentMessagingLogger } from './logger';

/** Content type of every event the bridge publishes (CloudEvents structured mode). */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';
/** Header carrying the correlation id across hops. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Per-message options of {@link ConfirmedPublisher.publish}. */
export interface PublishOptions {
  /** Copied to the AMQP `correlationId` property and the `x-correlation-id` header. */
  correlationId?: string;
  /** Extra AMQP headers. */
  headers?: Record<string, unknown>;
}

/** One message of {@link ConfirmedPublisher.publishBatch}. */
export interface OutgoingEvent {
  exchange: string;
  routingKey: string;
  /** A CloudEvent: must carry string `id` and `type`. */
  body: object;
  options?: PublishOptions;
}

/** Options of {@link ConfirmedPublisher}. */
export interface ConfirmedPublisherOptions {
  logger?: MessagingLogger;
  /** How long to wait for the broker's confirm, in ms. Default 10 000. */
  confirmTimeoutMs?: number;
  /** How long a publish waits for a lost connection to come back before failing, in ms. Default 5 000. */
  connectWaitMs?: number;
}

/** Rejection of {@link ConfirmedPublisher.publishBatch}: which messages made it and which did not. */
export class PublishBatchError extends MessagingError {
  constructor(
    /** Indexes (into the batch) of the messages the broker confirmed. */
    readonly confirmed: number[],
    /** Indexes and reasons of the messages that were not confirmed. */
    readonly failures: { index: number; error: unknown }[],
  ) {
    const first = failures[0]?.error;
    super(
      first instanceof MessagingError ? first.code : MessagingErrorCode.CHANNEL_CLOSED,
      `${failures.length} of ${confirmed.length + failures.length} messages were not confirmed: ${first instanceof Error ? first.message : String(first)}`,
      { cause: first },
    );
  }
}

/**
 * Publishes persistent messages on a confirm channel and resolves only once the broker has taken
 * responsibility for them. A rejection (nack, channel or connection lost, timeout) means "not
 * known to be stored": the caller keeps the message and retries; duplicates are removed by id.
 */
export class ConfirmedPublisher {
  private channel: ConfirmChannel | undefined;
  private opening: Promise<ConfirmChannel> | undefined;
  private drained: Promise<void> | undefined;
  private closed = false;
  private readonly logger: MessagingLogger;
  private readonly confirmTimeoutMs: number;
  private readonly connectWaitMs: number;

  constructor(
    private readonly connection: AmqpConnectionManager,
    options: ConfirmedPublisherOptions = {},
  ) {
    this.logger = options.logger ?? silentMessagingLogger;
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
    this.connectWaitMs = options.connectWaitMs ?? 5_000;
  }

  /** Publishes one CloudEvent; resolves when the broker confirmed it. */
  async publish(
    exchange: string,
    routingKey: string,
    body: object,
    options: PublishOptions = {},
  ): Promise<void> {
    const { content, properties } = encodeCloudEvent(body, options);
    await this.publishRaw(exchange, routingKey, content, properties);
  }

  /**
   * Publishes several CloudEvents back to back and waits for all confirms. Rejects with a
   * {@link PublishBatchError} listing the confirmed and failed indexes if any one failed.
   */
  async publishBatch(messages: readonly OutgoingEvent[]): Promise<void> {
    // Encode everything first so a malformed event fails the batch before anything is sent.
    const encoded = messages.map((message) => encodeCloudEvent(message.body, message.options ?? {}));
    const results = await Promise.allSettled(
      messages.map((message, index) =>
        this.publishRaw(
          message.exchange,
          message.routingKey,
          encoded[index].content,
          encoded[index].properties,
        ),
      ),
    );
    const confirmed: number[] = [];
    const failures: { index: number; error: unknown }[] = [];
    results.forEach((result, index) =>
      result.status === 'fulfilled' ? confirmed.push(index) : failures.push({ index, error: result.reason }),
    );
    if (failures.length > 0) throw new PublishBatchError(confirmed, failures);
  }

  /**
   * Publishes raw bytes with the given properties (always persistent) and waits for the confirm.
   * Used to forward a message unchanged, e.g. to a dead-letter exchange.
   */
  async publishRaw(
    exchange: string,
    routingKey: string,
    content: Buffer,
    properties: Options.Publish,
  ): Promise<void> {
    if (this.closed) throw new MessagingError(MessagingErrorCode.CLOSED, 'publisher is closed');
    const channel = await this.confirmChannel();
    await this.drained;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new MessagingError(
            MessagingErrorCode.TIMEOUT,
            `no confirm from RabbitMQ within ${this.confirmTimeoutMs} ms`,
          ),
        );
      }, this.confirmTimeoutMs);
      const settle = (error: unknown): void => {
        clearTimeout(timer);
        if (error === null || error === undefined) return resolve();
        reject(describeConfirmFailure(error));
      };
      try {
        const accepted = channel.publish(
          exchange,
          routingKey,
          content,
          { ...properties, persistent: true },
          settle,
        );
        if (!accepted) this.waitForDrain(channel);
      } catch (error) {
        settle(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Closes the confirm channel; later publishes reject with CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    const channel = this.channel;
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
  }

  /** The live confirm channel, opening one (once, shared by concurrent callers) when needed. */
  private async confirmChannel(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    this.opening ??= this.openChannel().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async openChannel(): Promise<ConfirmChannel> {
    await this.connection.waitForConnection(this.connectWaitMs);
    const channel = await this.connection.createConfirmChannel().catch((error: unknown) => {
      // e.g. the connection started closing between the wait and the open.
      if (error instanceof MessagingError) throw error;
      throw new MessagingError(MessagingErrorCode.NOT_CONNECTED, 'could not open a channel to RabbitMQ', {
        cause: error,
      });
    });
    channel.on('error', (error: Error) => this.logger.warn(errorContext(error), 'publisher channel error'));
    channel.on('close', () => {
      if (this.channel === channel) this.channel = undefined;
    });
    this.channel = channel;
    return channel;
  }

  /** Back-pressure: hold further publishes until the socket buffer drains (or the channel dies). */
  private waitForDrain(channel: ConfirmChannel): void {
    this.drained ??= new Promise<void>((resolve) => {
      const done = (): void => {
        channel.off('drain', done);
        channel.off('close', done);
        this.drained = undefined;
        resolve();
      };
      channel.on('drain', done);
      channel.on('close', done);
    });
  }
}

/** Maps amqplib's confirm-callback and publish errors onto {@link MessagingErrorCode}s. */
function describeConfirmFailure(error: unknown): MessagingError {
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'message nacked') {
    return new MessagingError(MessagingErrorCode.NACKED, 'RabbitMQ refused the message (nack)', {
      cause: error,
    });
  }
  if (/closed/i.test(message)) {
    return new MessagingError(
      MessagingErrorCode.CHANNEL_CLOSED,
      'channel closed before RabbitMQ confirmed the message',
      {
        cause: error,
      },
    );
  }
  return new MessagingError(MessagingErrorCode.INVALID_ARGUMENT, `publishing failed: ${message}`, {
    cause: error,
  });
}

/** Serialises a CloudEvent and derives its AMQP properties; rejects events without id or type. */
export function encodeCloudEvent(
  body: object,
  options: PublishOptions = {},
): { content: Buffer; properties: Options.Publish } {
  const event = body as { id?: unknown; type?: unknown };
  if (typeof event.id !== 'string' || event.id === '') {
    throw new MessagingError(
      MessagingErrorCode.INVALID_ARGUMENT,
      "CloudEvent must have a non-empty string 'id'",
    );
  }
  if (typeof event.type !== 'string' || event.type === '') {
    throw new MessagingError(
      MessagingErrorCode.INVALID_ARGUMENT,
      "CloudEvent must have a non-empty string 'type'",
    );
  }
  const headers: Record<string, unknown> = { ...options.headers };
  if (options.correlationId) headers[CORRELATION_ID_HEADER] = options.correlationId;
  return {
    content: Buffer.from(JSON.stringify(body)),
    properties: {
      persistent: true,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      messageId: event.id,
      type: event.type,
      timestamp: Math.floor(Date.now() / 1000),
      correlationId: options.correlationId,
      headers,
    },
  };
}
