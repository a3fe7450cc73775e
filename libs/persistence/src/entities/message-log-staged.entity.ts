import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MessageLogColumns } from './message-log-columns';

/**
 * A message-log entry committed with its business transaction but not yet hash-chained. The
 * chainer moves staged rows into `message_log` (ids and hashes are assigned there, in chaining
 * order) and deletes them in the same transaction, so an entry is always in exactly one table.
 */
@Entity('message_log_staging')
export class MessageLogStagedEntity extends MessageLogColumns {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  /** When the entry was written; becomes `logged_at` (never earlier than the chain head's). */
  @Column('timestamptz', { name: 'staged_at' })
  stagedAt!: Date;

  @Index('ix_message_log_staging_dossier')
  @Column('uuid', { name: 'dossier_id', nullable: true })
  dossierId!: string | null;
}
