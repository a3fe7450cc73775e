import type { Channel, ConsumeMessage } from 'amqplib';
import { AmqpConnectionManager, RemoveSetup } from './amqp-connection';
import { MessagingLogger, errorContext } from './logger';

/** What a {@link QueueSubscription} does with each delivery; settles it on `channel`. */
export type DeliveryListener = (channel: Channel, message: ConsumeMessage) => void;

/**
 * One consumer on one queue, kept alive: re-subscribed after every reconnect (through the
 * manager's setups) and after the broker cancels it or closes only its channel. Subscribe attempts
 * are serialised so a reconnect and a retry never open two consumers.
 */
export class QueueSubscription {
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private removeSetup: RemoveSetup | undefined;
  private queueChain: Promise<void> = Promise.resolve();
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private paused = false;

  constructor(
    private readonly connection: AmqpConnectionManager,
    readonly queue: string,
    private readonly prefetch: number,
    private readonly retryDelayMs: number,
    private readonly onDelivery: DeliveryListener,
    private readonly logger: MessagingLogger,
  ) {}

  /** Subscribes now if connected (rejecting if the queue is unusable) and after every reconnect. */
  async start(): Promise<void> {
    this.removeSetup = await this.connection.addSetup(() => this.subscribe());
  }

  /** Stops new deliveries; the channel stays open so in-flight messages can still be settled. */
  async cancel(): Promise<void> {
    this.stopped = true;
    this.removeSetup?.();
    clearTimeout(this.retryTimer);
    await this.queueChain;
    if (this.channel && this.consumerTag) {
      await this.channel.cancel(this.consumerTag).catch((error: unknown) => {
        this.logger.warn({ ...errorContext(error), queue: this.queue }, 'cancelling consumer failed');
      });
    }
  }

  /**
   * Stops deliveries for a while (basic.cancel) without closing the channel: the messages
   * already delivered stay held by us, uncounted by the broker's delivery limit, until settled.
   */
  pause(): Promise<void> {
    this.paused = true;
    return this.serialised(async () => {
      const { channel, consumerTag } = this;
      if (!channel || !consumerTag) return;
      this.consumerTag = undefined;
      await channel.cancel(consumerTag).catch((error: unknown) => {
        this.logger.warn({ ...errorContext(error), queue: this.queue }, 'pausing consumer failed');
      });
      this.logger.warn({ queue: this.queue }, 'consumer paused');
    });
  }

  /** Takes deliveries again after {@link pause}, on the same channel when it is still open. */
  resume(): Promise<void> {
    this.paused = false;
    return this.serialised(async () => {
      if (this.stopped) return;
      if (this.channel && !this.consumerTag) await this.startConsuming(this.channel);
      else if (!this.channel && this.connection.isConnected()) await this.subscribeOnce();
    });
  }

  /** The channel deliveries currently arrive on; a message from another one can no longer be settled. */
  isCurrent(channel: Channel): boolean {
    return this.channel === channel;
  }

  /** Closes the channel; unsettled deliveries go back to the queue. */
  async close(): Promise<void> {
    const channel = this.channel;
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
  }

  private subscribe(): Promise<void> {
    return this.serialised(() => this.subscribeOnce());
  }

  private serialised(step: () => Promise<void>): Promise<void> {
    const attempt = this.queueChain.then(step);
    this.queueChain = attempt.catch(() => undefined);
    return attempt;
  }

  private async subscribeOnce(): Promise<void> {
    if (this.stopped || this.paused || this.channel) return;
    const channel = await this.connection.createChannel();
    channel.on('error', (error: Error) =>
      this.logger.warn({ ...errorContext(error), queue: this.queue }, 'consumer channel error'),
    );
    channel.on('close', () => this.onChannelClosed(channel));
    try {
      await channel.prefetch(this.prefetch);
      this.channel = channel;
      await this.startConsuming(channel);
    } catch (error) {
      if (this.channel === channel) this.channel = undefined;
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  private async startConsuming(channel: Channel): Promise<void> {
    const { consumerTag } = await channel.consume(
      this.queue,
      (message) => (message ? this.onDelivery(channel, message) : this.onCancelledByBroker(channel)),
      { noAck: false },
    );
    this.consumerTag = consumerTag;
    this.logger.info({ queue: this.queue, prefetch: this.prefetch }, 'consumer started');
  }

  /** The broker cancelled us (queue deleted, leader moved): start over on a fresh channel. */
  private onCancelledByBroker(channel: Channel): void {
    this.logger.warn({ queue: this.queue }, 'RabbitMQ cancelled the consumer; re-subscribing');
    void channel.close().catch(() => undefined);
  }

  private onChannelClosed(channel: Channel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.consumerTag = undefined;
    if (!this.stopped) this.scheduleRetry();
  }

  /**
   * Re-subscribes if the connection is still up (only the channel died). When the connection is
   * down, the manager's setup re-subscribes on reconnect instead.
   */
  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.stopped || !this.connection.isConnected()) return;
      this.subscribe().catch((error: unknown) => {
        this.logger.error({ ...errorContext(error), queue: this.queue }, 're-subscribing failed; retrying');
        this.scheduleRetry();
      });
    }, this.retryDelayMs);
  }
}
