import { createBullBoard } from '@bull-board/api';
import type { IServerAdapter } from '@bull-board/api/typings/app';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { AgencyQueueManager } from '@bridge/queues';

/** Where Bull Board is mounted on the gateway. */
export const QUEUE_BOARD_PATH = '/ops/queues';

/**
 * Bull Board over the agencies' delivery queues. The queue manager does not hand out its
 * BullMQ queues, so the board opens its own `Queue` objects by name on the shared Redis
 * connection. It is read-only: pausing or emptying a queue behind the bridge's back would skip
 * the circuit breaker's and the dead letters' bookkeeping — operators pause and replay on the
 * dashboard instead. The list follows the registry: {@link sync} adds queues of new agencies
 * and drops those of agencies gone, and runs before every request to the board.
 */
export class QueueBoard {
  private readonly serverAdapter = new ExpressAdapter();
  private readonly board: ReturnType<typeof createBullBoard>;
  private readonly queues = new Map<string, Queue>();
  private readonly bullPrefix?: string;

  constructor(
    private readonly manager: Pick<AgencyQueueManager, 'agencies' | 'queueName'>,
    private readonly connection: Redis,
    options: { basePath?: string; bullPrefix?: string } = {},
  ) {
    this.serverAdapter.setBasePath(options.basePath ?? QUEUE_BOARD_PATH);
    this.board = createBullBoard({
      queues: [],
      // @bull-board/express pins its own patch release of @bull-board/api: same contract,
      // separately declared types.
      serverAdapter: this.serverAdapter as unknown as IServerAdapter,
      options: {
        uiConfig: {
          boardTitle: 'Bridge queues',
          miscLinks: [{ text: 'Bảng điều hành / Dashboard', url: '/ops' }],
          hideDocsLink: true,
        },
      },
    });
    this.bullPrefix = options.bullPrefix;
  }

  /** The express router serving the board's UI and its API. */
  get router(): RequestHandler {
    return this.serverAdapter.getRouter() as RequestHandler;
  }

  /** The queue names on the board now. */
  queueNames(): string[] {
    return [...this.queues.keys()].sort();
  }

  /** Brings the board's list in line with the agencies the queue manager serves. */
  async sync(): Promise<void> {
    const wanted = new Set(this.manager.agencies().map((code) => this.manager.queueName(code)));
    const gone = [...this.queues.keys()].filter((name) => !wanted.has(name));
    const added = [...wanted].filter((name) => !this.queues.has(name));
    if (gone.length === 0 && added.length === 0) return;
    for (const name of added) {
      this.queues.set(name, new Queue(name, { connection: this.connection, prefix: this.bullPrefix }));
    }
    const closing = gone.map((name) => {
      const queue = this.queues.get(name)!;
      this.queues.delete(name);
      return queue.close();
    });
    this.board.replaceQueues(
      this.queueNames().map((name) => new BullMQAdapter(this.queues.get(name)!, { readOnlyMode: true })),
    );
    await Promise.all(closing);
  }

  /** Closes the board's queue objects; the shared connection stays open for its owner. */
  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((queue) => queue.close()));
  }
}
