import type { Channel, ConsumeMessage } from 'amqplib';
import { MessagingLogger, errorContext } from './logger';
import { QueueSubscription } from './queue-subscription';

/** Options of {@link HeldDeliveries}. */
export interface HeldDeliveriesOptions {
  subscription: QueueSubscription;
  /** True once what the handler stands on is back. A throw counts as false, its message kept as the reason. */
  probe: () => Promise<boolean>;
  /** Pause between probes. */
  probeIntervalMs: number;
  /**
   * While paused, how often the log says so again, with how long, how many messages are held
   * and why the last probe failed: a consumer paused for minutes is not silent.
   */
  reportEveryMs?: number;
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
 * The messages of one queue whose handler found a dependency away, kept unsettled, and tried
 * again once the probe says the dependency is back. While it holds, new deliveries are held
 * without calling the handler; the consumer's prefetch window then fills and the broker sends
 * no more, so the queue does not churn and no delivery is counted however long the outage
 * lasts. The consumer is not cancelled for this: a quorum queue returns (and counts) what it had
 * already sent on a consumer that is cancelled. Only a message held for `holdMaxMs` is given
 * back — the consumer cancelled first, so it waits in the queue, counted once, until the
 * dependency is back (docs/architecture.md, rule 9).
 */
export class HeldDeliveries {
  private held: { channel: Channel; message: ConsumeMessage; since: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** When the current pause began, and when the log last said it goes on. */
  private pausedAt = 0;
  private reportedAt = 0;
  private stopped = false;
  /** True once the subscription was cancelled because a message was held too long. */
  private cancelled = false;

  constructor(private readonly options: HeldDeliveriesOptions) {}

  /** True while a dependency is away and messages are being held. */
  get paused(): boolean {
    return this.timer !== undefined;
  }

  /** Keeps `message` and, the first time, starts probing. */
  hold(channel: Channel, message: ConsumeMessage, reason: string): void {
    this.held.push({ channel, message, since: Date.now() });
    if (this.timer || this.stopped) return;
    this.options.logger.warn(
      { queue: this.options.subscription.queue, reason },
      'a dependency is away: consumer paused until it is back',
    );
    this.pausedAt = this.reportedAt = Date.now();
    this.schedule();
  }

  /** Holds a delivery that arrives while paused, without handing it to the handler; true if held. */
  intercept(channel: Channel, message: ConsumeMessage): boolean {
    if (!this.paused || this.stopped) return false;
    this.held.push({ channel, message, since: Date.now() });
    return true;
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
    let failure = 'the probe answered that it is not back';
    const back = await this.options.probe().catch((error: unknown) => {
      failure = error instanceof Error ? error.message : String(error);
      return false;
    });
    if (this.stopped) return;
    if (!back) {
      const now = Date.now();
      if (now - this.reportedAt >= (this.options.reportEveryMs ?? 30_000)) {
        this.reportedAt = now;
        this.options.logger.warn(
          {
            queue: this.options.subscription.queue,
            held: this.held.length,
            pausedForS: Math.round((now - this.pausedAt) / 1000),
            lastProbe: failure,
          },
          'a dependency is still away: consumer paused',
        );
      }
      if (this.held.some((h) => now - h.since >= this.options.holdMaxMs)) await this.giveBack();
      if (this.stopped) return;
      return this.schedule();
    }
    // Messages of a channel that has closed meanwhile are back in the queue already.
    const live = this.held.filter((h) => this.options.subscription.isCurrent(h.channel));
    this.held = [];
    this.timer = undefined;
    this.options.logger.info(
      { queue: this.options.subscription.queue, held: live.length },
      'dependency back: retrying held messages, consumer resumed',
    );
    for (const h of live) this.options.retry(h.channel, h.message);
    if (!this.cancelled) return;
    this.cancelled = false;
    await this.options.subscription.resume().catch((error: unknown) => {
      this.options.logger.error(
        { ...errorContext(error), queue: this.options.subscription.queue },
        'resuming the consumer failed; it resumes on reconnect',
      );
    });
  }

  /**
   * Held this long, a message would soon meet RabbitMQ's consumer timeout, which closes the
   * channel over it: stop the consumer, then return everything held, so it waits in the queue
   * (counted once) instead of coming straight back.
   */
  private async giveBack(): Promise<void> {
    if (!this.cancelled) {
      this.cancelled = true;
      await this.options.subscription.pause();
    }
    const { held } = this;
    this.held = [];
    this.requeue(held.filter((h) => this.options.subscription.isCurrent(h.channel)));
    this.options.logger.warn(
      { queue: this.options.subscription.queue, returned: held.length },
      'held messages returned to the queue; the consumer waits for the dependency',
    );
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
