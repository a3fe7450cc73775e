import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A message-log entry committed with its business transaction but not yet hash-chained. The
 * chainer moves staged rows into `message_log` (ids and hashes are assigned there, in chaining
 * order) and deletes them in the same transaction, so an entry is always in exactly one table.
 */
@Entity('message_log_staging')
export class MessageLogStagedEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** When the entry was written; becomes `logged_at` (never earlier than the chain head's). */
  @Column('timestamptz', { name: 'staged_at' })
  stagedAt!: Date;

  /** postal or agency. */
  @Column('text')
  channel!: string;

  /** inbound or outbound, from the bridge's side. */
  @Column('text')
  direction!: string;

  @Column('text', { name: 'agency_code', nullable: true })
  agencyCode!: string | null;

  @Index('ix_message_log_staging_dossier')
  @Column('uuid', { name: 'dossier_id', nullable: true })
  dossierId!: string | null;

  @Column('text')
  operation!: string;

  @Column('text', { name: 'correlation_id', nullable: true })
  correlationId!: string | null;

  @Column('text', { nullable: true })
  status!: string | null;

  /** The message, secrets already redacted. */
  @Column('text')
  body!: string;
}
