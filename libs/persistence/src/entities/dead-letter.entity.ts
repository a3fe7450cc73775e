import type { JsonObject } from './json-object';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One failed attempt of a delivery. */
export interface AttemptRecord {
  at: string;
  code: string;
  message: string;
}

export type DeadLetterState = 'open' | 'replayed' | 'discarded';

/**
 * A delivery, inbound message or agency record the bridge gave up on. Kept until a person
 * replays or discards it.
 */
@Entity('dead_letters')
@Index('ix_dead_letters_open', ['state', 'agencyCode', 'createdAt'])
export class DeadLetterEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** delivery (agency job), inbound (postal message), agency-record (bad CSV row...), parked (expired early event). */
  @Column('text')
  origin!: string;

  @Column('text', { name: 'agency_code', nullable: true })
  agencyCode!: string | null;

  @Index()
  @Column('uuid', { name: 'dossier_id', nullable: true })
  dossierId!: string | null;

  /** The job name or operation. */
  @Column('text')
  operation!: string;

  /** The original payload, as it was first enqueued or received. */
  @Column('jsonb')
  payload!: JsonObject;

  @Column('text', { name: 'error_code' })
  errorCode!: string;

  /** Groups like failures: code + the message with ids and numbers stripped. */
  @Column('text', { name: 'error_signature' })
  errorSignature!: string;

  @Column('text')
  reason!: string;

  @Column('jsonb', { default: () => "'[]'" })
  attempts!: AttemptRecord[];

  @Column('text', { default: 'open' })
  state!: DeadLetterState;

  @Column('int', { name: 'replay_count', default: 0 })
  replayCount!: number;

  @Column('timestamptz', { name: 'resolved_at', nullable: true })
  resolvedAt!: Date | null;

  @Column('text', { name: 'resolved_by', nullable: true })
  resolvedBy!: string | null;

  @Column('text', { name: 'correlation_id', nullable: true })
  correlationId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
