import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AgencyQueueManager } from '@bridge/queues';
import { AgencyRuntime } from '../delivery/agency-runtime';

/** The pause state of an agency after an operator's action. */
export interface AgencyPauseState {
  code: string;
  paused: boolean;
  /** False for a unit without an adapter: it has no delivery queue to stop. */
  queue: boolean;
}

/**
 * Pausing and resuming an agency: stored in `agencies.paused` (so a worker that starts later,
 * or reloads the agency, keeps it paused) and applied to its delivery queue, which every
 * worker process obeys at once. Resuming also closes an open circuit.
 */
@Injectable()
export class AgencyPauseService {
  private readonly logger = new Logger('ops');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(AgencyQueueManager) private readonly queues: AgencyQueueManager,
    @Inject(AgencyRuntime) private readonly runtime: AgencyRuntime,
  ) {}

  /** Null when no (unretired) agency has that code. */
  async setPaused(code: string, paused: boolean, by: string): Promise<AgencyPauseState | null> {
    const [rows] = await this.dataSource.query<[Array<{ code: string }>, number]>(
      `UPDATE agencies SET paused = $2, updated_at = now() WHERE code = $1 AND retired_at IS NULL RETURNING code`,
      [code, paused],
    );
    if (rows.length === 0) return null;
    const queue = await this.hasQueue(code);
    if (queue) {
      if (paused) await this.queues.pause(code);
      else await this.queues.resume(code);
    }
    this.logger.log(`agency ${code} ${paused ? 'paused' : 'resumed'} by ${by}`);
    return { code, paused, queue };
  }

  private async hasQueue(code: string): Promise<boolean> {
    if (this.queues.agencies().includes(code)) return true;
    // Registered moments ago: load it now instead of waiting for the next refresh.
    await this.runtime.refresh();
    return this.queues.agencies().includes(code);
  }
}
