/**
 * What an exception thrown while taking in a postal message says about the message:
 * - `unavailable`: the database or Redis is away (connection refused, cut, shut down, out of
 *   connections); the message is fine and must wait, however long;
 * - `refused`: the database refused the data itself (SQLSTATE classes 22 data exception,
 *   54 program limit such as an index row too large); it will be refused on every delivery,
 *   so it is a dead letter at once;
 * - `transient`: a serialization failure or deadlock (class 40), or an integrity violation
 *   (class 23), which two transactions racing on the same row also raise; worth another
 *   delivery, and dead-lettered like a bug when it keeps coming;
 * - `bug`: anything else — ours to fix; retried a few times, then a dead letter.
 */
export type FailureKind = 'unavailable' | 'refused' | 'transient' | 'bug';

/** A classified failure, with the words an operator reads in the dead letter or the log. */
export interface ClassifiedFailure {
  kind: FailureKind;
  detail: string;
}

/** Node socket errors of a server that is down or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** SQLSTATE classes and codes of a server that cannot serve now (connection, resources, shutdown). */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3]|58)/;
const REFUSED_SQLSTATE = /^(22|54)/;
const TRANSIENT_SQLSTATE = /^(40|23)/;

/**
 * Messages of pg, its pool, TypeORM and ioredis when the connection is gone; they carry no
 * code, so the text is all there is (the libraries' own wording, matched loosely).
 */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|Driver not Connected|the database system is (starting up|shutting down)|MaxRetriesPerRequest|Reached the max retries per request|Stream isn't writeable/i;

/** Classifies `error`, looking through TypeORM's `driverError` and `cause` chains. */
export function classifyFailure(error: unknown): ClassifiedFailure {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === 'object' && !seen.has(e);) {
    seen.add(e);
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string') {
      if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))
        return { kind: 'unavailable', detail: `${code}: ${text}` };
      if (/^[0-9A-Z]{5}$/.test(code)) {
        if (REFUSED_SQLSTATE.test(code))
          return { kind: 'refused', detail: `the database refused the data (SQLSTATE ${code}: ${text})` };
        if (TRANSIENT_SQLSTATE.test(code)) return { kind: 'transient', detail: `SQLSTATE ${code}: ${text}` };
      }
    }
    if (UNAVAILABLE_MESSAGE.test(text)) return { kind: 'unavailable', detail: text };
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return {
    kind: 'bug',
    detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  };
}
