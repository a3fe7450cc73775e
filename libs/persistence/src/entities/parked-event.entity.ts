import type { JsonObject } from './json-object';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event that arrived before its predecessor: kept, and applied when the dossier gets there.
 * `dossierRef` is whatever reference the event named (bridge id, S10 or agency dossier code).
 */
@Entity('parked_events')
@Index('ix_parked_ref', ['dossierRef'])
export class ParkedEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('text', { name: 'dossier_ref' })
  dossierRef!: string;

  @Column('uuid', { name: 'dossier_id', nullable: true })
  dossierId!: string | null;

  /** The lifecycle event it would apply. */
  @Column('text')
  event!: string;

  /** Everything needed to apply it later. */
  @Column('jsonb')
  payload!: JsonObject;

  @Column('text')
  reason!: string;

  @Column('timestamptz', { name: 'parked_at', default: () => 'now()' })
  parkedAt!: Date;
}
