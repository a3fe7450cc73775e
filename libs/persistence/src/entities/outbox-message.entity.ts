import type { JsonObject } from './json-object';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What an outbox row carries: a normalized event for `bridge.events`, or an agency job. */
export type OutboxKind = 'event' | 'job';

/**
 * The transactional outbox: written in the same transaction as the state change, published by
 * the relay with confirms (events) or enqueued with a deterministic job id (jobs).
 */
@Entity('outbox')
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('text')
  kind!: OutboxKind;

  /** Event: exchange routing key (= event type). Job: the job name. */
  @Column('text')
  topic!: string;

  /** Job: the agency whose queue takes it. */
  @Column('text', { name: 'agency_code', nullable: true })
  agencyCode!: string | null;

  /** Job: deterministic BullMQ job id. Event: the CloudEvent id. */
  @Column('text', { name: 'message_id' })
  messageId!: string;

  @Column('jsonb')
  payload!: JsonObject;

  /** Orders a dossier's events: the relay publishes them in (dossier, sequence) order. */
  @Column('uuid', { name: 'dossier_id', nullable: true })
  dossierId!: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  /** Not before: delayed jobs (polls, parked retries). */
  @Column('timestamptz', { name: 'available_at', default: () => 'now()' })
  availableAt!: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt!: Date | null;

  @Column('int', { default: 0 })
  attempts!: number;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;
}
