import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Dossier, DossierStatus } from '@bridge/domain';

/**
 * A dossier: the searchable references as columns, the whole snapshot as JSON. The snapshot is
 * what every normalized event carries; the columns exist for look-ups and the ops views.
 */
@Entity('dossiers')
export class DossierEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Index('uq_dossiers_inbound_item', { unique: true, where: 'inbound_item_id IS NOT NULL' })
  @Column('text', { name: 'inbound_item_id', nullable: true })
  inboundItemId!: string | null;

  @Index('ix_dossiers_result_item')
  @Column('text', { name: 'result_item_id', nullable: true })
  resultItemId!: string | null;

  @Column('text', { name: 'agency_code' })
  agencyCode!: string;

  @Column('text', { name: 'procedure_code' })
  procedureCode!: string;

  @Index('ix_dossiers_agency_dossier_code')
  @Column('text', { name: 'agency_dossier_code', nullable: true })
  agencyDossierCode!: string | null;

  @Column('text', { name: 'service_option' })
  serviceOption!: string;

  @Column('text')
  status!: DossierStatus;

  /** Sequence of the last normalized event of this dossier. */
  @Column('int')
  sequence!: number;

  @Column('timestamptz', { name: 'appointment_date', nullable: true })
  appointmentDate!: Date | null;

  @Column('jsonb')
  snapshot!: Dossier;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
