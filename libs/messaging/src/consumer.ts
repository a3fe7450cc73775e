import type { Channel, ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { AmqpConnectionManager } from './amqp-connection';
import { ConfirmedPublisher } from './confirmed-publisher';
import { ConsumeOutcome, MessageHandler, assertOutcome, decodeDelivery } from './consume-outcome';
import { deadLetterProperties } from './dead-letter';
import { HeldDeliveries } from './held-deliveries';
import { MessagingError, MessagingErrorCode } from './errors';
import { MessagingLogger, errorContext, silentMessagingLogger } from './logger';
import { QueueSubscription } from './queue-subscription';

/** Options of one {@link ManualAckConsumer.consume} subscription. */
export interface ConsumeOptions {
  /** Exchange that receives dead-lettered messages (e.g. `bridge.dlx`). */
  deadLetterExchange: string;
  /** Routing key of dead letters; defaults to the queue name, as the bridge topology binds them. */
  deadLetterRoutingKey?: string;
  /** Unacknowledged messages held at once (= handlers running concurrently). Default 10. */
  prefetch?: number;
  /** Pause before a requeue, so a failing dependency is not hammered. Default 1 000 ms. */
  requeueDelayMs?: number;
  /**
   * Says whether what the handler stands on is back after it answered `pause`; without a probe
   * `pause` acts as `requeue`. See {@link HeldDeliveries}.
   */
  probe?: () => Promise<boolean>;
  /** Pause between probes while paused. Default 2 000 ms. */
  probeIntervalMs?: number;
  /** While paused, how often the log says so again (held count, last probe's failure). Default 30 s. */
  reportEveryMs?: number;
  /** Longest a message is held unsettled while paused. Default 10 min. */
  holdMaxMs?: number;
  /** Hands a body that is not JSON to the handler as text instead of dead-lettering it. */
  keepText?: boolean;
}

/** Options of {@link ManualAckConsumer}. */
export interface ManualAckConsumerOptions {
  logger?: MessagingLogger;
  /** Publisher for dead letters; by default the consumer opens its own. */
  publisher?: ConfirmedPublisher;
}

/**
 * Consumes with manual acknowledgement: a message is acked only after its handler's outcome is
 * carried out, dead letters are confirmed by the broker before the original is acked, and
 * failures requeue after a pause, and an absent dependency pauses the subscription (see
 * {@link HeldDeliveries}). Survives reconnects; `stop()` drains in-flight handlers.
 */
export class ManualAckConsumer {
  private readonly subscriptions: QueueSubscription[] = [];
  private readonly holds: HeldDeliveries[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly logger: MessagingLogger;
  private readonly publisher: ConfirmedPublisher;
  private readonly ownsPublisher: boolean;

  constructor(
    private readonly connection: AmqpConnectionManager,
    options: ManualAckConsumerOptions = {},
  ) {
    this.logger = options.logger ?? silentMessagingLogger;
    this.ownsPublisher = !options.publisher;
    this.publisher = options.publisher ?? new ConfirmedPublisher(connection, { logger: this.logger });
  }

  /**
   * Starts consuming `queue`. Resolves once subscribed when connected (rejects if the queue is
   * unusable); when disconnected it resolves at once and subscribes on reconnect.
   */
  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<void> {
    if (this.stopping.signal.aborted)
      throw new MessagingError(MessagingErrorCode.CLOSED, 'consumer is stopped');
    const prefetch = options.prefetch ?? 10;
    if (!Number.isInteger(prefetch) || prefetch < 1) {
      throw new MessagingError(
        MessagingErrorCode.INVALID_ARGUMENT,
        `prefetch must be a positive integer, got ${prefetch}`,
      );
    }
    const requeueDelayMs = options.requeueDelayMs ?? 1_000;
    const deadLetter = {
      exchange: options.deadLetterExchange,
      routingKey: options.deadLetterRoutingKey ?? queue,
    };
    let hold: HeldDeliveries | undefined;
    const onDelivery = (channel: Channel, message: ConsumeMessage): void => {
      if (this.stopping.signal.aborted) return this.settle(message, () => channel.nack(message, false, true));
      if (hold?.intercept(channel, message)) return;
      const task = this.process(channel, message, {
        queue,
        handler,
        deadLetter,
        requeueDelayMs,
        hold,
        keepText: options.keepText ?? false,
      });
      this.inFlight.add(task);
      void task.finally(() => this.inFlight.delete(task));
    };
    const subscription = new QueueSubscription(
      this.connection,
      queue,
      prefetch,
      requeueDelayMs,
      onDelivery,
      this.logger,
    );
    if (options.probe) {
      hold = new HeldDeliveries({
        subscription,
        probe: options.probe,
        probeIntervalMs: options.probeIntervalMs ?? 2_000,
        reportEveryMs: options.reportEveryMs,
        holdMaxMs: options.holdMaxMs ?? 600_000,
        retry: onDelivery,
        logger: this.logger,
      });
      this.holds.push(hold);
    }
    await subscription.start();
    this.subscriptions.push(subscription);
  }

  /** Handlers currently running (or pausing before a requeue). */
  inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Graceful shutdown: cancels every consumer, waits for in-flight handlers to finish and settle
   * their messages (pending requeue pauses are cut short), then closes the channels. After
   * `timeoutMs` it closes anyway; the broker then redelivers whatever was left unsettled.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    await Promise.all(this.subscriptions.map((subscription) => subscription.cancel()));
    for (const hold of this.holds) hold.release();
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      const timeout = sleep(deadline - Date.now(), 'timeout', { ref: false });
      if ((await Promise.race([Promise.allSettled([...this.inFlight]), timeout])) === 'timeout') break;
    }
    if (this.inFlight.size > 0) {
      this.logger.warn(
        { inFlight: this.inFlight.size },
        'handlers still running at shutdown; leaving them to redelivery',
      );
    }
    await Promise.all(this.subscriptions.map((subscription) => subscription.close()));
    if (this.ownsPublisher) await this.publisher.close();
  }

  private async process(
    channel: Channel,
    message: ConsumeMessage,
    context: {
      queue: string;
      handler: MessageHandler;
      deadLetter: { exchange: string; routingKey: string };
      requeueDelayMs: number;
      hold: HeldDeliveries | undefined;
      keepText: boolean;
    },
  ): Promise<void> {
    const logContext = { queue: context.queue, messageId: message.properties.messageId as unknown };
    let outcome: ConsumeOutcome;
    const decoded = decodeDelivery(message, context.keepText);
    if ('action' in decoded) {
      outcome = decoded;
    } else {
      try {
        outcome = assertOutcome(await context.handler(decoded));
      } catch (error) {
        this.logger.error({ ...logContext, ...errorContext(error) }, 'message handler failed; requeueing');
        outcome = { action: 'requeue' };
      }
    }
    if (outcome.action === 'ack') return this.settle(message, () => channel.ack(message));
    if (outcome.action === 'pause' && context.hold && !this.stopping.signal.aborted)
      return context.hold.hold(channel, message, outcome.reason);
    if (outcome.action === 'dead-letter') {
      try {
        const properties = deadLetterProperties(message, outcome.reason, context.queue);
        await this.publisher.publishRaw(
          context.deadLetter.exchange,
          context.deadLetter.routingKey,
          message.content,
          properties,
        );
        this.logger.warn({ ...logContext, reason: outcome.reason }, 'message dead-lettered');
        return this.settle(message, () => channel.ack(message));
      } catch (error) {
        // Not confirmed as dead-lettered: keep the original rather than risk losing it.
        this.logger.error({ ...logContext, ...errorContext(error) }, 'dead-lettering failed; requeueing');
      }
    }
    await this.pause(context.requeueDelayMs);
    this.settle(message, () => channel.nack(message, false, true));
  }

  /**
   * Acks or nacks. On a channel that has closed meanwhile amqplib throws; the broker then
   * redelivers the message by itself, so that is logged, not raised.
   */
  private settle(message: ConsumeMessage, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.logger.warn(
        { ...errorContext(error), messageId: message.properties.messageId as unknown },
        'could not settle message (channel closed); RabbitMQ will redeliver it',
      );
    }
  }

  /** Sleeps, but wakes at once when the consumer is stopping. */
  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
