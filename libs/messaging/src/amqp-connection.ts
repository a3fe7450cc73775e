import * as amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import { BackoffPolicy, DEFAULT_BACKOFF, backoffDelay } from './backoff';
import { MessagingError, MessagingErrorCode } from './errors';
import { MessagingLogger, errorContext, silentMessagingLogger } from './logger';

/** Options of {@link AmqpConnectionManager}. */
export interface AmqpConnectionOptions {
  /** `amqp://user:pass@host:port/vhost?heartbeat=…` */
  url: string;
  /** Client-provided connection name, shown by `rabbitmqctl list_connections` and the management UI. */
  connectionName?: string;
  logger?: MessagingLogger;
  /** Reconnect delays; defaults to {@link DEFAULT_BACKOFF} (200 ms doubling up to 10 s). */
  backoff?: Partial<BackoffPolicy>;
  /** TCP connect timeout of one attempt, in ms. Default 10 000. */
  connectTimeoutMs?: number;
}

/**
 * Work to (re)do on every fresh connection: declare topology, start consumers. It gets the new
 * connection; channels it opens die with that connection.
 */
export type ConnectionSetup = (connection: ChannelModel) => Promise<void>;

/** Removes a setup registered with {@link AmqpConnectionManager.addSetup}. */
export type RemoveSetup = () => void;

/**
 * Keeps one AMQP connection alive: connects, reconnects with capped exponential backoff whenever
 * the broker drops it, and re-runs the registered setups after each reconnect. Never rejects in
 * the background: every failure while reconnecting is logged and retried.
 */
export class AmqpConnectionManager {
  private connection: ChannelModel | undefined;
  private closed = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | undefined;
  private readonly setups: ConnectionSetup[] = [];
  private readonly waiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
  private readonly logger: MessagingLogger;
  private readonly backoff: BackoffPolicy;

  constructor(private readonly options: AmqpConnectionOptions) {
    if (!/^amqps?:\/\//.test(options.url)) {
      throw new MessagingError(
        MessagingErrorCode.INVALID_ARGUMENT,
        'AMQP url must start with amqp:// or amqps://',
      );
    }
    this.logger = options.logger ?? silentMessagingLogger;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  /**
   * Starts the manager and resolves once the first connection and its setups are up. Keeps
   * retrying until then; rejects only if {@link close} is called first.
   */
  async connect(): Promise<void> {
    if (this.closed) throw new MessagingError(MessagingErrorCode.CLOSED, 'AMQP connection manager is closed');
    if (!this.connection && !this.connecting && !this.retryTimer) this.startAttempt();
    return this.waitForConnection(Number.POSITIVE_INFINITY);
  }

  /** True while a connection is open and its setups have run. */
  isConnected(): boolean {
    return this.connection !== undefined && !this.connecting;
  }

  /**
   * Resolves when connected (at once if already), rejects with NOT_CONNECTED after `timeoutMs`
   * or with CLOSED when the manager is closed.
   */
  waitForConnection(timeoutMs: number): Promise<void> {
    if (this.closed)
      return Promise.reject(
        new MessagingError(MessagingErrorCode.CLOSED, 'AMQP connection manager is closed'),
      );
    if (this.isConnected()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            this.waiters.delete(waiter);
            reject(
              new MessagingError(
                MessagingErrorCode.NOT_CONNECTED,
                `not connected to RabbitMQ within ${timeoutMs} ms`,
              ),
            );
          }, timeoutMs)
        : undefined;
      this.waiters.add(waiter);
    });
  }

  /**
   * Registers work to run on every new connection. If connected now, runs it at once and rejects
   * (unregistering it) if it fails, so a caller learns of a bad queue name immediately.
   */
  async addSetup(setup: ConnectionSetup): Promise<RemoveSetup> {
    this.setups.push(setup);
    const remove = (): void => {
      const index = this.setups.indexOf(setup);
      if (index >= 0) this.setups.splice(index, 1);
    };
    // While connecting, the running setup loop picks the new entry up by itself.
    if (this.connection && !this.connecting) {
      try {
        await setup(this.connection);
      } catch (error) {
        remove();
        throw error;
      }
    }
    return remove;
  }

  /** Opens a channel on the current connection; NOT_CONNECTED if there is none. */
  async createChannel(): Promise<Channel> {
    return this.requireConnection().createChannel();
  }

  /** Opens a publisher-confirm channel on the current connection; NOT_CONNECTED if there is none. */
  async createConfirmChannel(): Promise<ConfirmChannel> {
    return this.requireConnection().createConfirmChannel();
  }

  /**
   * Health probe: opens and closes a channel within `timeoutMs`. Rejects with an error that says
   * what is wrong (not connected, timed out, broker refused). A connection whose setups (the
   * topology) are still running is not up yet: ready before its queue was bound, a bridge would
   * let the post publish into an exchange that drops the message.
   */
  async ping(timeoutMs = 2_000): Promise<void> {
    if (!this.isConnected())
      throw new MessagingError(
        MessagingErrorCode.NOT_CONNECTED,
        this.connection ? 'RabbitMQ connected, topology not declared yet' : 'not connected to RabbitMQ',
      );
    let timer: NodeJS.Timeout | undefined;
    const probe = (async () => {
      const channel = await this.createChannel();
      await channel.close();
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new MessagingError(
              MessagingErrorCode.TIMEOUT,
              `RabbitMQ did not answer a ping within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    });
    // The losing probe must not surface later as an unhandled rejection.
    probe.catch(() => undefined);
    try {
      await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops reconnecting and closes the connection. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const closedError = new MessagingError(MessagingErrorCode.CLOSED, 'AMQP connection manager is closed');
    for (const waiter of this.waiters) waiter.reject(closedError);
    this.waiters.clear();
    await this.connecting?.catch(() => undefined);
    const connection = this.connection;
    this.connection = undefined;
    if (connection) {
      await connection
        .close()
        .catch((error: unknown) => this.logger.warn(errorContext(error), 'closing AMQP connection failed'));
      this.logger.info({ connectionName: this.options.connectionName }, 'AMQP connection closed');
    }
  }

  private requireConnection(): ChannelModel {
    if (!this.connection) {
      throw new MessagingError(MessagingErrorCode.NOT_CONNECTED, 'not connected to RabbitMQ');
    }
    return this.connection;
  }

  private startAttempt(): void {
    this.retryTimer = undefined;
    this.connecting = this.attemptConnection().finally(() => {
      this.connecting = undefined;
    });
    void this.connecting.then(
      () => this.onReady(),
      (error: unknown) => this.onAttemptFailed(error),
    );
  }

  private async attemptConnection(): Promise<void> {
    const connection = await amqp.connect(this.options.url, {
      timeout: this.options.connectTimeoutMs ?? 10_000,
      // Nagle's algorithm holds a small publish or ack back until the broker's delayed ACK of
      // the previous one arrives: ~40 ms per round trip for messages that are all small.
      noDelay: true,
      clientProperties: this.options.connectionName ? { connection_name: this.options.connectionName } : {},
    });
    if (this.closed) {
      await connection.close().catch(() => undefined);
      throw new MessagingError(MessagingErrorCode.CLOSED, 'AMQP connection manager is closed');
    }
    this.connection = connection;
    connection.on('error', (error: Error) => this.logger.warn(errorContext(error), 'AMQP connection error'));
    connection.on('blocked', (reason: string) =>
      this.logger.warn({ reason }, 'RabbitMQ blocked the connection'),
    );
    connection.on('unblocked', () => this.logger.info({}, 'RabbitMQ unblocked the connection'));
    connection.on('close', (error?: Error) => this.onConnectionClosed(connection, error));
    // Index loop: a setup added while this runs is appended and still gets its turn.
    for (let index = 0; index < this.setups.length; index++) {
      await this.setups[index](connection);
    }
  }

  private onReady(): void {
    if (this.closed) return;
    // The connection dropped while setups ran; its close event found us mid-attempt and left the retry to us.
    if (!this.connection) return this.scheduleRetry(new Error('connection closed during setup'));
    this.attempt = 0;
    this.logger.info({ connectionName: this.options.connectionName }, 'connected to RabbitMQ');
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }

  private onAttemptFailed(error: unknown): void {
    if (this.closed) return;
    const connection = this.connection;
    this.connection = undefined;
    // A setup failed on a live connection: drop it so the retry starts clean.
    if (connection) {
      this.logger.error(errorContext(error), 'AMQP connection setup failed; reconnecting');
      connection.removeAllListeners('close');
      void connection.close().catch(() => undefined);
    }
    this.scheduleRetry(error);
  }

  private onConnectionClosed(connection: ChannelModel, error?: Error): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    if (this.closed) return;
    this.logger.warn({ ...(error ? errorContext(error) : {}) }, 'AMQP connection lost; reconnecting');
    if (!this.connecting) this.scheduleRetry(error);
  }

  private scheduleRetry(error: unknown): void {
    if (this.closed || this.retryTimer) return;
    const delay = backoffDelay(this.attempt, this.backoff);
    this.attempt = Math.min(this.attempt + 1, 30);
    this.logger.warn({ ...errorContext(error), delayMs: delay }, 'RabbitMQ unreachable; retrying');
    this.retryTimer = setTimeout(() => this.startAttempt(), delay);
  }
}
