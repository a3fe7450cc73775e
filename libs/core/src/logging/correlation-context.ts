import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Request / response header that carries the correlation id across systems. */
export const CORRELATION_HEADER = 'x-correlation-id';

// A caller-supplied id is echoed into logs and headers, so only a short, plain token is trusted.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const storage = new AsyncLocalStorage<string>();

/**
 * The correlation id of the work in progress (an HTTP request, a consumed message, a job),
 * carried through async calls by AsyncLocalStorage so that every log line can name it.
 */
export const CorrelationContext = {
  /** Runs `fn` with `id` as the current correlation id (nested runs shadow the outer id). */
  run<T>(id: string, fn: () => T): T {
    return storage.run(id, fn);
  },

  /** The current correlation id, or undefined outside any {@link CorrelationContext.run}. */
  current(): string | undefined {
    return storage.getStore();
  },

  /** A fresh correlation id. */
  generate(): string {
    return randomUUID();
  },

  /**
   * The id to use for an incoming header value: the value itself when it is a plain token of
   * at most 128 characters, otherwise a fresh id (an attacker cannot inject text into logs).
   */
  accept(headerValue: string | string[] | undefined): string {
    const value = Array.isArray(headerValue) ? headerValue[0] : headerValue;
    return value && ACCEPTABLE_ID.test(value) ? value : randomUUID();
  },
};

const REQUEST_ID = Symbol('bridge.correlationId');

/**
 * The correlation id of an HTTP request, decided once per request (from `X-Correlation-Id` or
 * generated) and remembered on the request object, so the logging middleware and the context
 * middleware agree whichever runs first.
 */
export function correlationIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const holder = request as unknown as Record<symbol, string | undefined>;
  holder[REQUEST_ID] ??= CorrelationContext.accept(request.headers[CORRELATION_HEADER]);
  return holder[REQUEST_ID];
}
