import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MessageLogColumns } from './message-log-columns';

/**
 * Append-only, hash-chained log of every message exchanged with an agency or the post.
 * `hash` = HMAC-SHA256 with the audit key (plain SHA-256 for `chain_version` 1 records written
 * before the chain was keyed) over the previous hash and this record's canonical content;
 * changing one byte of any stored record breaks the chain from that record on.
 */
@Entity('message_log')
export class MessageLogEntryEntity extends MessageLogColumns {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('timestamptz', { name: 'logged_at' })
  loggedAt!: Date;

  @Index('ix_message_log_dossier')
  @Column('uuid', { name: 'dossier_id', nullable: true })
  dossierId!: string | null;

  @Column('text', { name: 'prev_hash' })
  prevHash!: string;

  @Column('text')
  hash!: string;

  /** 1 = plain SHA-256 (legacy), 2 = HMAC-SHA256 with the audit key. */
  @Column('smallint', { name: 'chain_version', default: 1 })
  chainVersion!: number;
}
