import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Every inbound event, once: (source, id) is the primary key, so a duplicate is recognised in
 * the same transaction that would have applied it.
 */
@Entity('inbox')
export class InboxEntryEntity {
  @PrimaryColumn('text')
  source!: string;

  @PrimaryColumn('text', { name: 'event_id' })
  eventId!: string;

  @Column('text')
  type!: string;

  /** SHA-256 of the event's content: the same id with different content is reported, not applied. */
  @Column('text', { name: 'content_hash' })
  contentHash!: string;

  /** applied, noted, parked, refused, invalid. */
  @Column('text')
  outcome!: string;

  /** Why an event was parked, refused or found invalid. */
  @Column('text', { nullable: true })
  detail!: string | null;

  @Column('uuid', { name: 'dossier_id', nullable: true })
  dossierId!: string | null;

  @Column('timestamptz', { name: 'received_at', default: () => 'now()' })
  receivedAt!: Date;
}
