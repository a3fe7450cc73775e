/**
 * The minimal logger the messaging layer writes to. Its shape is pino's `(context, message)`, so a
 * pino or nestjs-pino logger can be passed as is; tests pass nothing and get silence.
 */
export interface MessagingLogger {
  /** Normal life-cycle facts: connected, consumer started, stopped. */
  info(context: Record<string, unknown>, message: string): void;
  /** Something went wrong but is being handled: connection lost, retrying, message requeued. */
  warn(context: Record<string, unknown>, message: string): void;
  /** A failure that needs a person's attention: handler crashed, setup failed. */
  error(context: Record<string, unknown>, message: string): void;
}

/** A logger that discards everything; the default when none is given. */
export const silentMessagingLogger: MessagingLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Turns any thrown value into a loggable `{ err }` context without losing the stack. */
export function errorContext(error: unknown): { err: { message: string; stack?: string } } {
  if (error instanceof Error) return { err: { message: error.message, stack: error.stack } };
  return { err: { message: String(error) } };
}
