import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { CorrelationContext } from './correlation-context';
import { maskPersonalData } from './personal-data-mask';
import { REDACTED, isSecretName } from './secret-redaction';

/**
 * Paths pino removes from every line (after serializers): credentials in request and response
 * headers and secret-named fields of logged objects. Secret-named keys deeper down are caught
 * by {@link maskLogValue}.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...[
    'password',
    'token',
    'secret',
    'apiKey',
    'clientSecret',
    'client_secret',
    'accessToken',
    'access_token',
    'authorization',
  ].flatMap((key) => [key, `*.${key}`]),
];

const MAX_DEPTH = 8;

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of a logged value with citizen ids and phone numbers masked in every string and the
 * values of secret-named keys replaced. Only plain objects and arrays are walked: class
 * instances (requests, errors) are left to their serializers.
 */
export function maskLogValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => maskLogValue(item, depth + 1, seen));
  }
  if (!isPlainObject(value)) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      isSecretName(key) && item !== null && typeof item !== 'object'
        ? REDACTED
        : maskLogValue(item, depth + 1, seen);
  }
  return out;
}

/** Serializer wrapper: masks the (non-plain) object a standard serializer produced. */
export function maskSerialized<T>(serialize: (input: T) => unknown): (input: T) => unknown {
  return (input) => {
    const serialized = serialize(input);
    return serialized && typeof serialized === 'object' ? maskLogValue({ ...serialized }) : serialized;
  };
}

/**
 * The bridge's pino options: JSON lines with a textual level, the current correlation id on
 * every line (`mixin`), secrets redacted, and citizen ids / phone numbers masked in messages
 * (`hooks.logMethod`), in logged objects (`formatters.log`) and in serialized errors.
 */
export function createPinoOptions(level: string): LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    redact: { paths: [...LOG_REDACT_PATHS], censor: REDACTED },
    mixin: () => {
      const correlationId = CorrelationContext.current();
      return correlationId ? { correlationId } : {};
    },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => maskLogValue(object) as Record<string, unknown>,
    },
    serializers: { err: maskSerialized(pino.stdSerializers.err) },
    hooks: {
      logMethod(args, method) {
        const masked = args.map((arg: unknown) => (typeof arg === 'string' ? maskPersonalData(arg) : arg));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
}

/** A pino logger with the bridge's options, for code that runs outside Nest (CLI, scripts, tests). */
export function createBridgeLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const pinoOptions = createPinoOptions(options.level);
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
