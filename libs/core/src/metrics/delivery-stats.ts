import { randomBytes } from 'node:crypto';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { BRIDGE_CONFIG, BridgeConfig } from '@bridge/config';
import { redisPrefix } from '../runtime/infrastructure.providers';
import { REDIS } from '../runtime/tokens';
import { LatencyPercentiles, latencyPercentiles } from './latency-percentiles';
import { LingeringBatch } from '../common/lingering-batch';

interface Sample {
  agencyCode: string;
  durationMs: number;
  at: Date;
}

/** What waits for the next statistics write. */
interface StatsBatch {
  samples: Sample[];
  /** Agencies in play, by the newest time they were. */
  touched: Map<string, number>;
}

/** Marks agencies in play at `at` in the waiting batch, keeping each one's newest time. */
function markInPlay(batch: StatsBatch, agencyCodes: readonly string[], at: Date): void {
  for (const code of agencyCodes)
    batch.touched.set(code, Math.max(batch.touched.get(code) ?? 0, at.getTime()));
}

/** How long samples and in-play marks wait to share a write. */
export const DELIVERY_STATS_LINGER_MS = 200;

/** How far back the latency of an agency is measured. */
export const DELIVERY_STATS_WINDOW_MS = 60 * 60 * 1000;
/** Most samples kept per agency: under heavy load the window holds the newest ones only. */
export const DELIVERY_STATS_MAX_SAMPLES = 10_000;

/** What the ops overview shows of an agency's recent deliveries. */
export interface AgencyDeliveryStats {
  /** Time of the last successful agency call, ISO-8601; null when none was recorded. */
  lastSuccessAt: string | null;
  /** Duration of the successful agency jobs of the last hour. */
  latencyMs: LatencyPercentiles;
  /** How many successful jobs the percentiles are computed from. */
  samples: number;
}

/**
 * Successful agency deliveries of the last hour, shared by every process through Redis: the
 * worker records where jobs complete, the gateway reads for the ops overview. Per agency one
 * sorted set `bridge[:<ns>]:stats:<agency>` (score = completion time, member = time:duration:nonce),
 * trimmed to the window on every write, and `…:last-success` with the time of the newest success.
 */
@Injectable()
export class DeliveryStats implements BeforeApplicationShutdown {
  private readonly logger = new Logger('delivery-stats');
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BRIDGE_CONFIG) config: BridgeConfig,
  ) {
    this.prefix = `${redisPrefix(config)}stats:`;
  }

  /**
   * Records one successful agency job. Never throws: statistics must not fail a delivery that
   * already succeeded; a Redis failure is logged and the sample is lost. Samples (and
   * {@link touch} marks) wait up to {@link DELIVERY_STATS_LINGER_MS} and go to Redis together:
   * one round trip per moment, not one per job — nobody reads them sooner than that.
   */
  async record(agencyCode: string, durationMs: number, at: Date = new Date()): Promise<void> {
    try {
      await this.buffer.add((batch) => {
        batch.samples.push({ agencyCode, durationMs, at });
        markInPlay(batch, [agencyCode], at);
      });
    } catch (error) {
      this.logger.warn(`delivery statistics of ${agencyCode} not recorded: ${String(error)}`);
    }
  }

  /**
   * Marks agencies as in play now (jobs were just queued for them), so the history sampler looks
   * at them this minute; agencies are marked too when a job of theirs succeeds. Sent with the
   * samples of the same moment.
   */
  async touch(agencyCodes: readonly string[], at: Date = new Date()): Promise<void> {
    if (agencyCodes.length === 0) return;
    await this.buffer.add((batch) => markInPlay(batch, agencyCodes, at));
  }

  /** Sends what is waiting now (shutdown, tests). */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush().catch(() => undefined);
  }

  private readonly buffer = new LingeringBatch<StatsBatch>(
    () => ({ samples: [], touched: new Map() }),
    (batch) => this.write(batch),
    DELIVERY_STATS_LINGER_MS,
  );

  private async write({ samples, touched }: StatsBatch): Promise<void> {
    const multi = this.redis.multi();
    const latest = new Map<string, Date>();
    for (const { agencyCode, durationMs, at } of samples) {
      const member = `${at.getTime()}:${Math.max(0, Math.round(durationMs))}:${randomBytes(4).toString('hex')}`;
      multi.zadd(this.key(agencyCode), at.getTime(), member);
      const newest = latest.get(agencyCode);
      if (!newest || newest < at) latest.set(agencyCode, at);
    }
    if (touched.size > 0) multi.zadd(this.activeKey, ...[...touched].flatMap(([code, ms]) => [ms, code]));
    for (const [agencyCode, at] of latest) {
      const key = this.key(agencyCode);
      multi
        .zremrangebyscore(key, '-inf', at.getTime() - DELIVERY_STATS_WINDOW_MS)
        .zremrangebyrank(key, 0, -DELIVERY_STATS_MAX_SAMPLES - 1)
        .pexpire(key, DELIVERY_STATS_WINDOW_MS)
        .set(`${key}:last-success`, at.toISOString());
    }
    const replies = await multi.exec();
    const failed = replies?.find(([error]) => error)?.[0];
    if (failed) throw failed;
  }

  /** The statistics of one agency over the last hour. */
  async of(agencyCode: string, now: Date = new Date()): Promise<AgencyDeliveryStats> {
    const key = this.key(agencyCode);
    const [members, lastSuccessAt] = await Promise.all([
      this.redis.zrangebyscore(key, now.getTime() - DELIVERY_STATS_WINDOW_MS, '+inf'),
      this.redis.get(`${key}:last-success`),
    ]);
    return statsOf(members, lastSuccessAt);
  }

  /** The statistics of many agencies (a page of the overview) with one pipeline. */
  async ofMany(
    agencyCodes: readonly string[],
    now: Date = new Date(),
  ): Promise<Map<string, AgencyDeliveryStats>> {
    const answer = new Map<string, AgencyDeliveryStats>();
    if (agencyCodes.length === 0) return answer;
    const pipeline = this.redis.pipeline();
    for (const code of agencyCodes) {
      pipeline.zrangebyscore(this.key(code), now.getTime() - DELIVERY_STATS_WINDOW_MS, '+inf');
      pipeline.get(`${this.key(code)}:last-success`);
    }
    const replies = (await pipeline.exec()) ?? [];
    agencyCodes.forEach((code, i) => {
      const [[membersError, members], [lastError, lastSuccessAt]] = replies.slice(i * 2, i * 2 + 2);
      const error = membersError ?? lastError;
      if (error) throw error;
      answer.set(code, statsOf(members as string[], lastSuccessAt as string | null));
    });
    return answer;
  }

  /**
   * Durations of the agency's successful jobs that completed in [fromMs, toMs): what the history
   * sampler stores per minute. Only the last hour is kept, so older ranges come back empty.
   */
  async durationsBetween(agencyCode: string, fromMs: number, toMs: number): Promise<number[]> {
    const members = await this.redis.zrangebyscore(this.key(agencyCode), fromMs, `(${toMs}`);
    return members.map((m) => Number(m.split(':')[1])).filter((d) => Number.isFinite(d));
  }

  /** Agencies with a job queued or succeeded since `fromMs`; older marks are dropped. */
  async activeSince(fromMs: number, now: Date = new Date()): Promise<string[]> {
    const [, members] = await Promise.all([
      this.redis.zremrangebyscore(this.activeKey, '-inf', now.getTime() - DELIVERY_STATS_WINDOW_MS),
      this.redis.zrangebyscore(this.activeKey, fromMs, '+inf'),
    ]);
    return members;
  }

  /** Forgets an agency's statistics (tests, a removed agency). */
  async forget(agencyCode: string): Promise<void> {
    const key = this.key(agencyCode);
    await this.redis.del(key, `${key}:last-success`);
  }

  private key(agencyCode: string): string {
    return `${this.prefix}${agencyCode}`;
  }

  /** Agency codes by the last time a job was queued or succeeded for them. */
  private get activeKey(): string {
    return `${this.prefix}*in-play`;
  }
}

function statsOf(members: string[], lastSuccessAt: string | null): AgencyDeliveryStats {
  const durations = members.map((m) => Number(m.split(':')[1])).filter((d) => Number.isFinite(d));
  return { lastSuccessAt, latencyMs: latencyPercentiles(durations), samples: durations.length };
}
