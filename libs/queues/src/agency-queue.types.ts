import type { IntegrationError, IntegrationErrorCode } from '@bridge/adapter-sdk';
import type { AgencyJobName, AgencyJobPayloads, AnyAgencyJobPayload } from './agency-jobs';
import type { RetryPolicy } from './retry-policy';

/** When an agency's circuit opens and how long it stays open before a probe. */
export interface CircuitSettings {
  /** Consecutive TEMPORARY / RATE_LIMITED failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a health probe may close it. */
  openMs: number;
  /** A probe taking longer than this counts as failed (default 10 s). */
  probeTimeoutMs?: number;
}

/** Per-agency delivery settings; applying new ones takes effect without a restart. */
export interface AgencyQueueSettings {
  /** Jobs of this agency processed at once, across every worker process. */
  concurrency: number;
  /** At most `max` jobs started per `durationMs`, across every worker process. */
  rateLimit?: { max: number; durationMs: number };
  /** A handler call still running after this long fails as TEMPORARY (and is aborted). */
  timeoutMs?: number;
  retry: RetryPolicy;
  circuit: CircuitSettings;
}

/** One failed attempt, kept for the dead letter. */
export interface AttemptRecord {
  /** ISO-8601 time the attempt failed. */
  at: string;
  code: IntegrationErrorCode;
  message: string;
}

/** What a handler sees of a job. */
export interface AgencyJob<N extends AgencyJobName = AgencyJobName> {
  id: string;
  name: N;
  payload: AgencyJobPayloads[N];
  /** Attempts made before this one (0 on the first run). */
  attemptsMade: number;
}

/** Does the work of a job; throws (ideally an IntegrationError) when it failed. */
export interface AgencyJobHandler {
  /**
   * @param signal aborted when the agency's `timeoutMs` elapses or the worker shuts down;
   *   long calls should pass it on to their HTTP / SOAP client.
   */
  handle(job: AgencyJob, signal: AbortSignal): Promise<void>;
}

/** A job that will not be retried, with the whole history the core persists. */
export interface DeadLetter {
  job: { id: string; name: AgencyJobName; payload: AnyAgencyJobPayload; queue: string };
  /** The error of the last attempt. */
  error: IntegrationError;
  /** Every failed attempt, oldest first. */
  attempts: AttemptRecord[];
  reason: string;
}

/** Reported when an agency's circuit opens. */
export interface CircuitOpenedInfo {
  /** Consecutive transient failures counted when it opened. */
  failures: number;
  lastError: { code: IntegrationErrorCode; message: string };
  openedAt: Date;
  /** When the first health probe runs. */
  probeAt: Date;
}

/** Reported when a probe succeeded and the circuit closed again. */
export interface CircuitClosedInfo {
  openedAt: Date;
  closedAt: Date;
  /** True when an operator paused the agency meanwhile, so its queue stays paused. */
  stillPausedByOperator: boolean;
}

/** Everything the core plugs into the queues. */
export interface AgencyQueueHooks {
  handler: AgencyJobHandler;
  /** Persist the dead letter (and emit `delivery.dead_lettered`); a throw makes it try again later. */
  onDeadLetter(deadLetter: DeadLetter): Promise<void>;
  /** The agency's health probe; true = healthy. */
  probe(agencyCode: string): Promise<boolean>;
  onCircuitOpened?(agencyCode: string, info: CircuitOpenedInfo): Promise<void> | void;
  onCircuitClosed?(agencyCode: string, info: CircuitClosedInfo): Promise<void> | void;
  /** Where failures of the machinery itself go (hooks that threw, Redis errors). */
  onInternalError?(error: unknown, context: string): void;
}
