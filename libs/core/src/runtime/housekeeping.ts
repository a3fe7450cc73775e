import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { DeadLetterService } from '../delivery/dead-letter.service';
import { expireParkedEvents } from '../lifecycle/parked-event-expiry';
import { RetentionPurge } from '../retention/retention-purge';
import { BRIDGE_ROLE, BridgeRole, runsWorker } from './tokens';

/** A task run every `everyMs`, never twice at once in this process. */
class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly everyMs: number,
    private readonly task: () => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.task()
        .catch(this.onError)
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

/**
 * On workers: turns parked events that waited too long into dead letters, and runs the
 * retention purge. Both are safe on several workers at once (see `expireParkedEvents` and
 * `RetentionPurge`), so every worker runs them and none has to be elected.
 */
@Injectable()
export class Housekeeping implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('housekeeping');
  private readonly tasks: Periodic[] = [];

  constructor(
    @Inject(BRIDGE_ROLE) private readonly role: BridgeRole,
    @Inject(BRIDGE_CONFIG) private readonly config: BridgeConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DeadLetterService) private readonly deadLetters: DeadLetterService,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsWorker(this.role)) return;
    const { parkedEventExpiryMs, retention, purgeEveryMs } = this.config.housekeeping;
    const warn = (what: string) => (error: unknown) =>
      this.logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    // An event expires at most a quarter of its expiry late, and at most a minute.
    const sweepMs = Math.max(250, Math.min(60_000, Math.floor(parkedEventExpiryMs / 4)));
    this.tasks.push(
      new Periodic(sweepMs, () => this.expireParked(parkedEventExpiryMs), warn('parked event expiry')),
      new Periodic(
        purgeEveryMs,
        () => this.purge(new RetentionPurge(this.dataSource, retention)),
        warn('retention purge'),
      ),
    );
    for (const task of this.tasks) task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.tasks.map((task) => task.stop()));
  }

  private async expireParked(expiryMs: number): Promise<void> {
    const expired = await expireParkedEvents(this.dataSource, expiryMs, (manager, letter) =>
      this.deadLetters.record(manager, letter),
    );
    if (expired > 0)
      this.logger.warn(
        `${expired} parked event(s) waited over ${expiryMs} ms for their predecessor: now dead letters`,
      );
  }

  private async purge(purge: RetentionPurge): Promise<void> {
    const report = await purge.run({ dryRun: false });
    const done = report.lines.filter((line) => line.count > 0);
    if (done.length > 0)
      this.logger.log(`retention purge: ${done.map((line) => `${line.category} ${line.count}`).join(', ')}`);
  }
}
