import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The look-up schedule of one open dossier at an agency whose status comes by look-up. */
@Entity('status_lookups')
@Index('ix_status_lookups_due', ['agencyCode', 'nextAt'])
export class StatusLookupEntity {
  @PrimaryColumn('uuid', { name: 'dossier_id' })
  dossierId!: string;

  @Column('text', { name: 'agency_code' })
  agencyCode!: string;

  /** When the dossier is next due; a worker that claims it moves this a round ahead at once. */
  @Column('timestamptz', { name: 'next_at' })
  nextAt!: Date;

  /** The agency's own status code last seen (null until the first look-up). */
  @Column('text', { name: 'last_status_code', nullable: true })
  lastStatusCode!: string | null;

  /** How many changes look-ups found; numbers the changes so a repeated one is deduplicated. */
  @Column('int', { name: 'changes_seen', default: 0 })
  changesSeen!: number;

  @Column('timestamptz', { name: 'unchanged_since', default: () => 'now()' })
  unchangedSince!: Date;

  @Column('timestamptz', { name: 'looked_up_at', nullable: true })
  lookedUpAt!: Date | null;
}
