import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

/** Where {@link ErrorIdFilter} writes an unexpected error: pino's `(object, message)` shape. */
export interface ErrorLogSink {
  error(object: Record<string, unknown>, message: string): void;
}

/** The whole body of a 500: the error id is all a client learns; the log holds the rest. */
export interface InternalErrorBody {
  statusCode: 500;
  error: 'Internal Server Error';
  errorId: string;
}

/**
 * Global exception filter. An `HttpException` (a 4xx naming the problem, or a deliberate 5xx)
 * is answered as Nest would answer it. Anything else is logged in full — error, stack, method,
 * URL — under a fresh `errorId`, and the client receives only {@link InternalErrorBody}, so no
 * stack trace, SQL or internal detail ever leaves the process.
 */
@Catch()
export class ErrorIdFilter implements ExceptionFilter {
  constructor(private readonly logger: ErrorLogSink) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      this.logger.error(
        { err: exception, errorId: randomUUID(), context: host.getType() },
        'unhandled error',
      );
      throw exception;
    }
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (!response.headersSent) {
        response.status(status).json(typeof body === 'string' ? { statusCode: status, message: body } : body);
      }
      return;
    }
    const request = http.getRequest<Request>();
    const errorId = randomUUID();
    this.logger.error(
      { err: exception, errorId, method: request.method, url: request.originalUrl },
      `unhandled error ${errorId} on ${request.method} ${request.originalUrl}`,
    );
    if (response.headersSent) return;
    const body: InternalErrorBody = { statusCode: 500, error: 'Internal Server Error', errorId };
    response.status(500).json(body);
  }
}
