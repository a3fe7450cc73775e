import { agencyFilesSettings } from './agency-files-settings';
import { HousekeepingConfig, loadHousekeepingConfig } from './housekeeping-config';

/**
 * The bridge's configuration, read from the environment once at start-up.
 * Every variable of the public contract is validated here; a wrong value stops start-up
 * with a message that names the variable and says what is expected.
 */
export interface BridgeConfig {
  /** PostgreSQL connection string. */
  databaseUrl: string;
  /** Redis connection string (BullMQ queues, locks, rate limits). */
  redisUrl: string;
  /** RabbitMQ connection string. */
  amqpUrl: string;
  /** HTTP port of the gateway. */
  port: number;
  /** Key that encrypts stored adapter credentials (32 bytes once derived). */
  secretKey: string;
  /** First admin API key, accepted without being stored; undefined when not set. */
  bootstrapAdminKey: string | undefined;
  /** pino log level. */
  logLevel: LogLevel;
  /**
   * Optional prefix of every AMQP exchange/queue, BullMQ queue and Redis key
   * (`BRIDGE_NAMESPACE`): lets several installations or test runs share one set of services.
   * Empty in production, so the contract's names (`postal.inbound`, `bridge.events`) hold.
   */
  namespace: string;
  /**
   * The postal backend's durable queue on `bridge.events` (`BRIDGE_POSTAL_EVENTS_QUEUE`, default
   * `postal.bridge-events`), declared by the bridge from the start so no event is relayed
   * before a queue exists; prefixed with the namespace like every other name.
   */
  postalEventsQueue: string;
  /**
   * A dossier waiting this long in `collected` or `delivered` has its agency job enqueued again
   * (`BRIDGE_STUCK_DOSSIER_AFTER_MS`), e.g. after Redis lost the queued jobs.
   */
  stuckDossierAfterMs: number;
  /** How often the bridge looks for such dossiers (`BRIDGE_STUCK_DOSSIER_SWEEP_MS`). */
  stuckDossierSweepMs: number;
  /** Parked-event expiry, poll staleness and retention of personal data. */
  housekeeping: HousekeepingConfig;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A development-only key: start-up warns when it is used and refuses it when NODE_ENV=production. */
export const DEVELOPMENT_SECRET_KEY = 'development-only-secret-key-change-me';

export const CONFIG_DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/bridge',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
  PORT: '3000',
  BRIDGE_SECRET_KEY: DEVELOPMENT_SECRET_KEY,
  LOG_LEVEL: 'info',
  BRIDGE_STUCK_DOSSIER_AFTER_MS: '600000',
  BRIDGE_STUCK_DOSSIER_SWEEP_MS: '60000',
  BRIDGE_POSTAL_EVENTS_QUEUE: 'postal.bridge-events',
} as const;

/** Thrown when the environment does not describe a bridge that can start. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function urlWithScheme(env: Env, name: keyof typeof CONFIG_DEFAULTS, schemes: string[], problems: string[]) {
  const raw = (env[name] ?? CONFIG_DEFAULTS[name]).trim();
  try {
    const url = new URL(raw);
    const scheme = url.protocol.replace(/:$/, '');
    if (!schemes.includes(scheme)) {
      problems.push(`${name} must be a ${schemes.join(' or ')} URL, got scheme "${scheme}"`);
    }
  } catch {
    problems.push(`${name} is not a valid URL: "${raw}"`);
  }
  return raw;
}

/** The longest delay Node's timers keep (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A whole number of milliseconds in [min, MAX_TIMER_MS]; pushes a problem naming the variable otherwise. */
function milliseconds(env: Env, name: keyof typeof CONFIG_DEFAULTS, min: number, problems: string[]): number {
  const raw = (env[name] ?? CONFIG_DEFAULTS[name]).trim();
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > MAX_TIMER_MS) {
    problems.push(
      `${name} must be a whole number of milliseconds from ${min} to ${MAX_TIMER_MS}, got "${raw}"`,
    );
  }
  return value;
}

/** Reads and validates the environment; throws a ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): BridgeConfig {
  const problems: string[] = [];
  const databaseUrl = urlWithScheme(env, 'DATABASE_URL', ['postgres', 'postgresql'], problems);
  const redisUrl = urlWithScheme(env, 'REDIS_URL', ['redis', 'rediss'], problems);
  const amqpUrl = urlWithScheme(env, 'AMQP_URL', ['amqp', 'amqps'], problems);

  const rawPort = (env.PORT ?? CONFIG_DEFAULTS.PORT).trim();
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer from 0 to 65535, got "${rawPort}"`);
  }

  const secretKey = env.BRIDGE_SECRET_KEY ?? CONFIG_DEFAULTS.BRIDGE_SECRET_KEY;
  if (secretKey.length < 16) {
    problems.push('BRIDGE_SECRET_KEY must be at least 16 characters long');
  } else if (secretKey === DEVELOPMENT_SECRET_KEY && env.NODE_ENV === 'production') {
    problems.push('BRIDGE_SECRET_KEY must be set in production (the development default is refused)');
  }

  const bootstrapAdminKey = env.BRIDGE_BOOTSTRAP_ADMIN_KEY?.trim() || undefined;
  if (bootstrapAdminKey !== undefined && bootstrapAdminKey.length < 16) {
    problems.push('BRIDGE_BOOTSTRAP_ADMIN_KEY must be at least 16 characters long');
  }

  const logLevel = (env.LOG_LEVEL ?? CONFIG_DEFAULTS.LOG_LEVEL).trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const namespace = (env.BRIDGE_NAMESPACE ?? '').trim();
  if (namespace !== '' && !/^[a-z0-9][a-z0-9_-]{0,39}$/.test(namespace)) {
    problems.push(
      `BRIDGE_NAMESPACE may hold only lower-case letters, digits, '-' and '_' (at most 40), got "${namespace}"`,
    );
  }

  problems.push(...agencyFilesSettings(env).problems);
  const postalEventsQueue = (
    env.BRIDGE_POSTAL_EVENTS_QUEUE ?? CONFIG_DEFAULTS.BRIDGE_POSTAL_EVENTS_QUEUE
  ).trim();
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(postalEventsQueue) || postalEventsQueue.length > 200) {
    problems.push(
      `BRIDGE_POSTAL_EVENTS_QUEUE may hold only letters, digits, '-', '_' and inner dots (at most 200), got "${postalEventsQueue}"`,
    );
  }

  const stuckDossierAfterMs = milliseconds(env, 'BRIDGE_STUCK_DOSSIER_AFTER_MS', 1000, problems);
  const stuckDossierSweepMs = milliseconds(env, 'BRIDGE_STUCK_DOSSIER_SWEEP_MS', 100, problems);
  const housekeeping = loadHousekeepingConfig(env, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    databaseUrl,
    redisUrl,
    amqpUrl,
    port,
    secretKey,
    bootstrapAdminKey,
    logLevel: logLevel as LogLevel,
    namespace,
    postalEventsQueue,
    stuckDossierAfterMs,
    stuckDossierSweepMs,
    housekeeping,
  };
}
