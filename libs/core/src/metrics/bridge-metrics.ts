import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { mappingFallbackCounts } from '@bridge/adapter-sdk';
import { POSTAL_EVENT_TYPES } from '@bridge/domain';

/**
 * What became of one attempt of an agency job: `success`; `retry` — the attempt failed (the
 * queues retry it or, when nothing is left, dead-letter it); `dead_letter` — the job was given
 * up and recorded as a dead letter. Attempts made = success + retry.
 */
export type DeliveryOutcome = 'success' | 'retry' | 'dead_letter';

/** Buckets of agency call durations in seconds: agencies answer in tens of ms to tens of s. */
const DURATION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const KNOWN_INBOUND_TYPES = new Set<string>(POSTAL_EVENT_TYPES);

/**
 * The Prometheus metrics of one bridge process, in a registry of its own (with Node's default
 * process metrics). Counters are fed where things happen ({@link deliveryFinished},
 * {@link inboundEvent}); the gauges are set on every scrape by the MetricsCollector.
 */
@Injectable()
export class BridgeMetrics {
  readonly registry = new Registry();

  private readonly deliveries = new Counter({
    name: 'bridge_agency_deliveries_total',
    help: 'Agency job attempts by outcome: success, retry (the attempt failed), dead_letter (given up)',
    labelNames: ['agency', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly deliveryDuration = new Histogram({
    name: 'bridge_agency_delivery_duration_seconds',
    help: 'Duration of agency job attempts, successful or not',
    labelNames: ['agency', 'operation'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  private readonly inbound = new Counter({
    name: 'bridge_inbound_events_total',
    help: 'Postal events received (AMQP and HTTP) by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Jobs per agency and state, set on scrape. */
  readonly queueJobs = new Gauge({
    name: 'bridge_queue_jobs',
    help: 'Jobs in the delivery queue of each agency by state (waiting, active, delayed, failed, paused)',
    labelNames: ['agency', 'state'] as const,
    registers: [this.registry],
  });

  /** 1 while an agency's circuit is open or half-open, set on scrape. */
  readonly circuitOpen = new Gauge({
    name: 'bridge_agency_circuit_open',
    help: '1 while the circuit breaker of the agency is open or half-open, else 0',
    labelNames: ['agency'] as const,
    registers: [this.registry],
  });

  /** Open dead letters per agency (`none` for postal events), set on scrape. */
  readonly deadLettersOpen = new Gauge({
    name: 'bridge_dead_letters_open',
    help: 'Dead letters waiting for a person to replay or discard them',
    labelNames: ['agency'] as const,
    registers: [this.registry],
  });

  /** Dossiers past their appointment date and not finished, per agency, set on scrape. */
  readonly dossiersOverdue = new Gauge({
    name: 'bridge_dossiers_overdue',
    help: 'Dossiers past their appointment date that are not finished (late), per agency',
    labelNames: ['agency'] as const,
    registers: [this.registry],
  });

  readonly outboxLagSeconds = new Gauge({
    name: 'bridge_outbox_lag_seconds',
    help: 'Age of the oldest outbox row that is due and not yet published (0 when none)',
    registers: [this.registry],
  });

  readonly unroutableEvents = new Gauge({
    name: 'bridge_unroutable_events',
    help: 'Events of bridge.events that no queue was bound for, waiting in bridge.events.unroutable',
    registers: [this.registry],
  });

  readonly outboxPending = new Gauge({
    name: 'bridge_outbox_pending',
    help: 'Outbox rows not yet published (events and jobs, including delayed ones)',
    registers: [this.registry],
  });

  /** When each polled agency last reported successfully (poll or callback), set on scrape. */
  readonly lastPollSuccess = new Gauge({
    name: 'bridge_agency_last_poll_success_timestamp_seconds',
    help: 'Unix time of the last successful poll or callback of each agency (absent until the first one)',
    labelNames: ['agency'] as const,
    registers: [this.registry],
  });

  /** 1 while a polled agency's polls fail or went stale, set on scrape. */
  readonly pollUnhealthy = new Gauge({
    name: 'bridge_agency_poll_unhealthy',
    help: '1 while the polls of the agency fail or no poll or callback succeeded within the allowed number of intervals, else 0',
    labelNames: ['agency', 'state'] as const,
    registers: [this.registry],
  });

  /** Events waiting for their predecessor, set on scrape. */
  readonly parkedEvents = new Gauge({
    name: 'bridge_parked_events',
    help: 'Events parked until the dossier reaches the step before them (expired ones become dead letters)',
    registers: [this.registry],
  });

  readonly parkedOldestAgeSeconds = new Gauge({
    name: 'bridge_parked_event_oldest_age_seconds',
    help: 'Age of the oldest parked event (0 when none)',
    registers: [this.registry],
  });

  /** Mapping evaluations JSONata made instead of the synchronous evaluator, read from the SDK's tally. */
  readonly mappingFallbacks = new Counter({
    name: 'bridge_mapping_fallback_total',
    help: 'Mapping evaluations made by JSONata because the synchronous evaluator does not cover them, per agency and mapping',
    labelNames: ['agency', 'mapping'] as const,
    registers: [this.registry],
    collect() {
      // The tally is the process's own running total: the counter shows it as it stands.
      this.reset();
      for (const { agency, mapping, count } of mappingFallbackCounts()) this.inc({ agency, mapping }, count);
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** An agency job attempt ended; `seconds` is how long it ran. */
  deliveryFinished(agency: string, operation: string, outcome: DeliveryOutcome, seconds: number): void {
    this.deliveries.inc({ agency, operation, outcome });
    if (outcome !== 'dead_letter' && Number.isFinite(seconds) && seconds >= 0)
      this.deliveryDuration.observe({ agency, operation }, seconds);
  }

  /**
   * A postal event was taken in; `outcome` is what ingress made of it (accepted, duplicate,
   * conflict, refused, invalid). Unknown types count as `unknown`, so a sender cannot grow
   * the label set without bound.
   */
  inboundEvent(type: string | undefined, outcome: string): void {
    const label = type && KNOWN_INBOUND_TYPES.has(type) ? type : 'unknown';
    this.inbound.inc({ type: label, outcome: /^[a-z_]{1,32}$/.test(outcome) ? outcome : 'other' });
  }

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
