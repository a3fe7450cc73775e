import { BaseRpcContext, CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { AmqpConnectionManager } from './amqp-connection';
import { ConfirmedPublisher } from './confirmed-publisher';
import { ConsumeOutcome, ReceivedMessage, assertOutcome } from './consume-outcome';
import { ConsumeOptions, ManualAckConsumer } from './consumer';
import { MessagingError, MessagingErrorCode } from './errors';
import { MessagingLogger, silentMessagingLogger } from './logger';

/** One queue a {@link ManualAckTransport} consumes, and how its messages find their handler. */
export interface TransportQueue extends ConsumeOptions {
  queue: string;
  /**
   * The `@EventPattern` of the queue's messages: one pattern for a queue whose messages are all
   * alike, or a function of the message. A message whose pattern has no handler is dead-lettered
   * with a reason naming the pattern; a queue with one pattern does not start without its handler.
   */
  pattern: string | ((message: ReceivedMessage) => string);
}

/** Options of {@link ManualAckTransport}. */
export interface ManualAckTransportOptions {
  queues: TransportQueue[];
  /** How long `close()` waits for the messages in hand to be settled. Default 20 000 ms. */
  stopTimeoutMs?: number;
  logger?: MessagingLogger;
  /** Publisher for dead letters; by default the consumer opens its own. */
  publisher?: ConfirmedPublisher;
}

/**
 * What an `@EventPattern` handler of a {@link ManualAckTransport} gets with `@Ctx()`: the
 * delivered message (headers, delivery count, correlation id), its pattern and its queue.
 */
export class ManualAckContext extends BaseRpcContext<[ReceivedMessage, string, string]> {
  getMessage(): ReceivedMessage {
    return this.args[0];
  }

  getPattern(): string {
    return this.args[1];
  }

  getQueue(): string {
    return this.args[2];
  }
}

/**
 * A `@nestjs/microservices` transport over {@link ManualAckConsumer}: the handlers are
 * `@EventPattern` methods of a controller, and each one's resolved value — a
 * {@link ConsumeOutcome} — is what settles the message (docs/architecture.md, rule 1: ack after
 * commit). Nest's own event dispatch (`Server.handleEvent`) discards a handler's value, and its
 * RMQ transport acknowledges before the handler runs, so this transport calls the handler itself
 * and hands the consumer its outcome: ack, requeue, dead-letter with the reason, or pause while a
 * dependency is away (`HeldDeliveries`). Quorum queues, the delivery limit, the prefetch and the
 * dead-letter exchange are the consumer's, unchanged. A handler that throws (or whose Observable
 * errors) counts as `requeue`, as with the consumer alone.
 *
 * Wire it with `app.connectMicroservice({ strategy }, { inheritAppConfig: true })` and
 * `app.startAllMicroservices()` after `app.init()` (the topology is declared at module init).
 * `close()` stops consuming and waits for the messages in hand; it may be called more than once
 * (the drain calls it first, Nest again when it disposes the app) and stops once.
 */
export class ManualAckTransport extends Server implements CustomTransportStrategy {
  private readonly consumer: ManualAckConsumer;
  private readonly logs: MessagingLogger;
  private closing?: Promise<void>;
  private readonly resolved = new Map<string, MessageHandler>();

  constructor(
    connection: AmqpConnectionManager,
    private readonly options: ManualAckTransportOptions,
  ) {
    super();
    this.logs = options.logger ?? silentMessagingLogger;
    this.consumer = new ManualAckConsumer(connection, { logger: this.logs, publisher: options.publisher });
  }

  /** Subscribes to every queue; `callback` gets the error when one cannot start. */
  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.consumer.stop(this.options.stopTimeoutMs ?? 20_000);
    return this.closing;
  }

  /** The transport emits no events of its own. */
  on(): never {
    throw new MessagingError(MessagingErrorCode.INVALID_ARGUMENT, 'ManualAckTransport emits no events');
  }

  /** The consumer under the transport. */
  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** The outcome of one message: its pattern's handler decides; no handler, a dead letter. */
  private async dispatch(queue: TransportQueue, message: ReceivedMessage): Promise<ConsumeOutcome> {
    const pattern = typeof queue.pattern === 'string' ? queue.pattern : queue.pattern(message);
    const handler = this.handlerOf(pattern);
    if (!handler)
      return {
        action: 'dead-letter',
        reason: `no handler for pattern "${pattern}" on ${queue.queue}: no @EventPattern('${pattern}') method is registered`,
      };
    const context = new ManualAckContext([message, pattern, queue.queue]);
    const result: unknown = await handler(message.body, context);
    const value: unknown = isObservable(result)
      ? await lastValueFrom(result, { defaultValue: undefined })
      : result;
    return assertOutcome(value);
  }

  /**
   * The handler of `pattern`, looked up once: handlers are all registered before `listen`, and
   * `getHandlerByPattern` first tries the pattern as JSON, which throws for a plain name. Only
   * found handlers are kept, so patterns without one cannot grow the map.
   */
  private handlerOf(pattern: string): MessageHandler | null {
    const known = this.resolved.get(pattern);
    if (known) return known;
    const handler = this.getHandlerByPattern(pattern);
    if (handler) this.resolved.set(pattern, handler);
    return handler;
  }

  private async start(): Promise<void> {
    this.assertHandlers();
    for (const queue of this.options.queues) {
      const { pattern: _pattern, queue: name, ...consumeOptions } = queue;
      await this.consumer.consume(name, (message) => this.dispatch(queue, message), consumeOptions);
    }
    this.logs.info({ queues: this.options.queues.map((q) => q.queue) }, 'transport listening');
  }

  /**
   * One handler decides a message's outcome: a pattern two methods listen to would give two
   * outcomes, and a queue with one pattern and no handler would dead-letter everything.
   */
  private assertHandlers(): void {
    for (const [pattern, handler] of this.getHandlers()) {
      if ((handler as MessageHandler & { next?: unknown }).next)
        throw new MessagingError(
          MessagingErrorCode.INVALID_ARGUMENT,
          `pattern "${pattern}" has more than one @EventPattern handler; one handler must decide each message`,
        );
    }
    for (const queue of this.options.queues) {
      if (typeof queue.pattern === 'string' && !this.getHandlerByPattern(queue.pattern))
        throw new MessagingError(
          MessagingErrorCode.INVALID_ARGUMENT,
          `no @EventPattern('${queue.pattern}') handler for ${queue.queue}; its messages would all be dead-lettered`,
        );
    }
  }
}
