import { Controller, Get, Inject, Logger } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AmqpConnectionManager } from '@bridge/messaging';
import { Public } from '../security';
import { REDIS } from '../runtime/tokens';

const TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

/**
 * Liveness (the process answers) and readiness (PostgreSQL, Redis and RabbitMQ answer for
 * real). A failing dependency gives 503 naming it; the reason goes to the log only, as these
 * routes are public and error text tells an outsider hosts, ports and versions.
 */
@Controller('health')
@Public()
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(AmqpConnectionManager) private readonly amqp: AmqpConnectionManager,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.check('postgresql', () => this.dataSource.query('SELECT 1')),
      () => this.check('redis', () => this.redis.ping()),
      () => this.check('rabbitmq', () => this.amqp.ping(TIMEOUT_MS)),
    ]);
  }

  private async check(name: string, probe: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(name);
    try {
      await withTimeout(probe(), name);
      return session.up();
    } catch (error) {
      this.logger.warn(
        `readiness: ${name} is down: ${error instanceof Error ? error.message : String(error)}`,
      );
      return session.down();
    }
  }
}
