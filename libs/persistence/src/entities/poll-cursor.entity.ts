import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where polling of an agency's status changes continues. */
@Entity('poll_cursors')
export class PollCursorEntity {
  @PrimaryColumn('text', { name: 'agency_code' })
  agencyCode!: string;

  @Column('text', { nullable: true })
  cursor!: string | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
