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

/** What the body parsers' own errors (http-errors) carry. */
interface BodyParserError {
  status: number;
  expose: boolean;
  type?: string;
  limit?: number;
  length?: number;
  message: string;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
};

/**
 * The body parsers run before any controller and throw http-errors rather than
 * HttpExceptions: a body above the limit (413), JSON that does not parse (400), a charset they
 * cannot decode (415). Those are the client's mistakes and get a 4xx naming the problem.
 */
function bodyParserRefusal(
  exception: unknown,
): { statusCode: number; error: string; message: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const error = exception as Partial<BodyParserError>;
  if (error.expose !== true || typeof error.status !== 'number') return undefined;
  if (error.status < 400 || error.status > 499) return undefined;
  let message = error.message ?? 'the request body was refused';
  if (error.type === 'entity.too.large')
    message = `the request body is ${error.length} bytes, above the limit of ${error.limit} bytes`;
  else if (error.type === 'entity.parse.failed') message = `the request body is not valid JSON: ${message}`;
  return { statusCode: error.status, error: STATUS_NAMES[error.status] ?? 'Bad Request', message };
}

/**
 * Global exception filter. An `HttpException` (a 4xx naming the problem, or a deliberate 5xx)
 * is answered as Nest would answer it. Anything else is logged in full — error, stack, method,
 * URL — under a fresh `errorId` (except the body parsers' client errors, answered as 4xx), and the client receives only {@link InternalErrorBody}, so no
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
    const refusal = bodyParserRefusal(exception);
    if (refusal) {
      if (!response.headersSent) response.status(refusal.statusCode).json(refusal);
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
