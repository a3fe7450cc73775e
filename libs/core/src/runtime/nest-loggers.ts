import { Logger } from '@nestjs/common';
import { AdapterLogger } from '@bridge/adapter-sdk';
import { MessagingLogger } from '@bridge/messaging';

/** Adapts Nest's logger (pino behind it) to the adapters' logger interface. */
export function adapterLogger(context: string): AdapterLogger {
  const logger = new Logger(context);
  const line = (message: string, ctx?: Record<string, unknown>) => (ctx ? { msg: message, ...ctx } : message);
  return {
    info: (message, ctx) => logger.log(line(message, ctx)),
    warn: (message, ctx) => logger.warn(line(message, ctx)),
    error: (message, ctx) => logger.error(line(message, ctx)),
  };
}

/** Adapts Nest's logger to the messaging lib's logger interface (context first). */
export function messagingLogger(context: string): MessagingLogger {
  const logger = new Logger(context);
  return {
    info: (ctx, message) => logger.log({ msg: message, ...ctx }),
    warn: (ctx, message) => logger.warn({ msg: message, ...ctx }),
    error: (ctx, message) => logger.error({ msg: message, ...ctx }),
  };
}

/** A warning line `<what>: <error message>` in `logger`, for the background loops' `onError`. */
export function warnsTo(logger: Logger, what: string): (error: unknown) => void {
  return (error) => logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
}
