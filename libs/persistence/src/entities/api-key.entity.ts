import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An API key: only its prefix (to find it) and a slow hash (to check it) are stored. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  /** admin, operator, postal or agency:<code>. */
  @Column('text')
  role!: string;

  @Index('uq_api_keys_prefix', { unique: true })
  @Column('text')
  prefix!: string;

  /** scrypt hash, `scrypt$N$r$p$salt$hash`. */
  @Column('text')
  hash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
