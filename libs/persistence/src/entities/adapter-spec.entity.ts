import type { JsonObject } from './json-object';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * One version of an agency's adapter specification. Versions are never changed; applying a
 * file stores a new one. Secret values inside `spec` are encrypted (`enc:v1:...`).
 */
@Entity('adapter_specs')
@Unique('uq_adapter_specs_agency_version', ['agencyCode', 'version'])
export class AdapterSpecEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column('text', { name: 'agency_code' })
  agencyCode!: string;

  @Column('int')
  version!: number;

  @Column('text')
  kind!: string;

  @Column('jsonb')
  spec!: JsonObject;

  /** SHA-256 of the canonical spec: applying an unchanged file stores no new version. */
  @Column('text', { name: 'content_hash' })
  contentHash!: string;

  @Column('text', { name: 'applied_by', nullable: true })
  appliedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
