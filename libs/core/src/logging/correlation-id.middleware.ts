import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CORRELATION_HEADER, CorrelationContext, correlationIdOf } from './correlation-context';

/**
 * Runs the rest of the request inside {@link CorrelationContext} and echoes the id in the
 * `X-Correlation-Id` response header so a caller can quote it.
 */
@Injectable()
export class CorrelationIdMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const id = correlationIdOf(request);
    response.setHeader(CORRELATION_HEADER, id);
    CorrelationContext.run(id, next);
  }
}
