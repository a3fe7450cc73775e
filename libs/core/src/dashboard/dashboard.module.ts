import {
  Inject,
  MiddlewareConsumer,
  Module,
  NestModule,
  OnModuleDestroy,
  RequestMethod,
} from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { AgencyQueueManager } from '@bridge/queues';
import { REDIS } from '../runtime/tokens';
import { ApiKeyService } from '../security';
import { DashboardController } from './dashboard.controller';
import { operatorAuthMiddleware } from './operator-auth.middleware';
import { QUEUE_BOARD_PATH, QueueBoard } from './queue-board';

/**
 * The operations dashboard at `/ops` and Bull Board at `/ops/queues` (operator or admin key,
 * as Bearer or as the password of HTTP Basic). Relies on what `BridgeCoreModule` provides
 * globally: `ApiKeyService`, `AgencyQueueManager` and the shared Redis connection.
 */
@Module({
  controllers: [DashboardController],
  providers: [
    {
      provide: QueueBoard,
      inject: [AgencyQueueManager, REDIS],
      useFactory: (manager: AgencyQueueManager, redis: Redis) => new QueueBoard(manager, redis),
    },
  ],
  exports: [QueueBoard],
})
export class DashboardModule implements NestModule, OnModuleDestroy {
  constructor(
    @Inject(QueueBoard) private readonly board: QueueBoard,
    @Inject(ApiKeyService) private readonly apiKeys: ApiKeyService,
  ) {}

  configure(consumer: MiddlewareConsumer): void {
    const syncQueues = (_request: Request, _response: Response, next: NextFunction) => {
      this.board.sync().then(() => next(), next);
    };
    const board = mountedAt(QUEUE_BOARD_PATH, this.board.router);
    consumer
      .apply(operatorAuthMiddleware(this.apiKeys), syncQueues, board)
      .forRoutes(
        { path: QUEUE_BOARD_PATH, method: RequestMethod.ALL },
        { path: `${QUEUE_BOARD_PATH}/{*rest}`, method: RequestMethod.ALL },
      );
  }

  async onModuleDestroy(): Promise<void> {
    await this.board.close();
  }
}

/**
 * Runs an express router as if it were mounted with `app.use(path, router)`: Nest binds route
 * middleware so that the request URL keeps its full path, and Bull Board routes relative to
 * its base path.
 */
function mountedAt(path: string, router: RequestHandler): RequestHandler {
  return (request, response, next) => {
    const original = request.originalUrl;
    if (!original.startsWith(path)) return next();
    const url = request.url;
    const baseUrl = request.baseUrl;
    request.url = original.slice(path.length) || '/';
    request.baseUrl = path;
    router(request, response, (error?: unknown) => {
      request.url = url;
      request.baseUrl = baseUrl;
      next(error);
    });
  };
}
