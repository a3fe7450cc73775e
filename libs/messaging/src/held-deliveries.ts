import type { Channel, ConsumeMessage } from 'amqplib';
import { MessagingLogger, errorContext } from './logger';
import { QueueSubscription } from './queue-subscription';

/** Options of {@link HeldDeliveries}. */
export interface HeldDeliveriesOptions {
  subscription: QueueSubscription;
  /** True once what the handler stands on is back. A throw counts as false. */
  probe: () => Promise<boolean>;
  /** Pause between probes. */
  probeIntervalMs: number;
  /**
   * A message held longer than this goes back to the queue (one counted delivery) before
   * RabbitMQ's consumer timeout (30 min by default) closes the channel over it.
   */
  holdMaxMs: number;
  /** Hands a held message to the handler again. */
  retry: (channel: Channel, message: ConsumeMessage) => void;
  logger: MessagingLogger;
}

/**
 * The messages of one queue whose handler found a dependency away, kept unsettled while the
 * subscription is paused, and tried again (then the subscription resumed) once the probe says
 * the dependency is back. Nothing is returned to the queue meanwhile, so the queue does not
 * churn and the broker's delivery count does not grow however long the outage lasts.
 */
export class HeldDeliveries {
  private held: { channel: Channel; message: ConsumeMessage; since: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: HeldDeliveriesOptions) {}

  /** True while the subscription is paused for an absent dependency. */
  get paused(): boolean {
    return this.timer !== undefined;
  }

  /** Keeps `message` and, the first time, pauses the subscription and starts probing. */
  hold(channel: Channel, message: ConsumeMessage, reason: string): void {
    this.held.push({ channel, message, since: Date.now() });
    if (this.timer || this.stopped) return;
    this.options.logger.warn(
      { queue: this.options.subscription.queue, reason },
      'a dependency is away: consumer paused until it is back',
    );
    void this.options.subscription.pause();
    this.schedule();
  }

  /** Returns every held message to the queue and stops probing (shutdown). */
  release(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.requeue(this.held);
    this.held = [];
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.check(), this.options.probeIntervalMs);
  }

  private async check(): Promise<void> {
    const back = await this.options.probe().catch(() => false);
    if (this.stopped) return;
    // Messages of a channel that has closed meanwhile are back in the queue already.
    const live = this.held.filter((h) => this.options.subscription.isCurrent(h.channel));
    if (!back) {
      const now = Date.now();
      this.requeue(live.filter((h) => now - h.since >= this.options.holdMaxMs));
      this.held = live.filter((h) => now - h.since < this.options.holdMaxMs);
      return this.schedule();
    }
    this.held = [];
    this.timer = undefined;
    this.options.logger.info(
      { queue: this.options.subscription.queue, held: live.length },
      'dependency back: retrying held messages, consumer resumed',
    );
    for (const h of live) this.options.retry(h.channel, h.message);
    await this.options.subscription.resume().catch((error: unknown) => {
      this.options.logger.error(
        { ...errorContext(error), queue: this.options.subscription.queue },
        'resuming the consumer failed; it resumes on reconnect',
      );
    });
  }

  private requeue(entries: { channel: Channel; message: ConsumeMessage }[]): void {
    for (const { channel, message } of entries) {
      try {
        channel.nack(message, false, true);
      } catch {
        // The channel closed: RabbitMQ has put the message back by itself.
      }
    }
  }
}
