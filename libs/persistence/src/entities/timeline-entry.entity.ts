import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What kind of line a timeline entry is. */
export type TimelineKind = 'status' | 'note' | 'parked' | 'refused' | 'delivery' | 'dead_letter' | 'operator';

/**
 * The dossier's whole story across the post and the agency: every status change, every note,
 * every event parked or refused (with the reason), every agency call that failed.
 */
@Entity('dossier_timeline')
@Index('ix_timeline_dossier', ['dossierId', 'id'])
export class TimelineEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('uuid', { name: 'dossier_id' })
  dossierId!: string;

  @Column('text')
  kind!: TimelineKind;

  /** The lifecycle event or operation. */
  @Column('text')
  event!: string;

  /** postal, agency, bridge or operator. */
  @Column('text')
  origin!: string;

  @Column('text', { name: 'from_status', nullable: true })
  fromStatus!: string | null;

  @Column('text', { name: 'to_status', nullable: true })
  toStatus!: string | null;

  /** Sequence of the normalized event this entry produced, for status changes. */
  @Column('int', { nullable: true })
  sequence!: number | null;

  @Column('text', { name: 'event_id', nullable: true })
  eventId!: string | null;

  @Column('text', { nullable: true })
  detail!: string | null;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Column('timestamptz', { name: 'recorded_at', default: () => 'now()' })
  recordedAt!: Date;
}
