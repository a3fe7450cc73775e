import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A procedure an agency takes by post (eligibility is a per-procedure flag). */
export interface AgencyProcedure {
  code: string;
  name: string;
  byPost: boolean;
  /** Days from receipt to the appointment date, when the agency's receipt does not say. */
  processingDays?: number;
}

/** An agency (or administrative unit) in the hierarchy, with its validity dates. */
@Entity('agencies')
export class AgencyEntity {
  @PrimaryColumn('text')
  code!: string;

  @Column('text')
  name!: string;

  /** province, city, department, district, commune, ... — data, not code. */
  @Column('text')
  level!: string;

  @Index()
  @Column('text', { name: 'parent_code', nullable: true })
  parentCode!: string | null;

  @Column('text', { nullable: true })
  province!: string | null;

  @Column('date', { name: 'valid_from', nullable: true })
  validFrom!: string | null;

  @Column('date', { name: 'valid_to', nullable: true })
  validTo!: string | null;

  /** The unit that took this one over after `validTo`. */
  @Column('text', { name: 'merged_into', nullable: true })
  mergedInto!: string | null;

  @Column('jsonb', { default: () => "'[]'" })
  procedures!: AgencyProcedure[];

  /** The adapter spec version workers use now; null for a unit with no adapter (a parent). */
  @Column('int', { name: 'spec_version', nullable: true })
  specVersion!: number | null;

  /** Paused by an operator; the circuit breaker never resumes such an agency. */
  @Column('boolean', { default: false })
  paused!: boolean;

  /** Retired agencies keep their dossiers; they take no new ones. */
  @Column('timestamptz', { name: 'retired_at', nullable: true })
  retiredAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
