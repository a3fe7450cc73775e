import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only, hash-chained log of every message exchanged with an agency or the post.
 * `hash` = SHA-256 over the previous hash and this record's canonical content; changing one
 * byte of any stored record breaks the chain from that record on.
 */
@Entity('message_log')
export class MessageLogEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('timestamptz', { name: 'logged_at' })
  loggedAt!: Date;

  /** postal or agency. */
  @Column('text')
  channel!: string;

  /** inbound or outbound, from the bridge's side. */
  @Column('text')
  direction!: string;

  @Column('text', { name: 'agency_code', nullable: true })
  agencyCode!: string | null;

  @Index('ix_message_log_dossier')
  @Column('uuid', { name: 'dossier_id', nullable: true })
  dossierId!: string | null;

  @Column('text')
  operation!: string;

  @Column('text', { name: 'correlation_id', nullable: true })
  correlationId!: string | null;

  @Column('text', { nullable: true })
  status!: string | null;

  /** The message, secrets redacted. */
  @Column('text')
  body!: string;

  @Column('text', { name: 'prev_hash' })
  prevHash!: string;

  @Column('text')
  hash!: string;
}
