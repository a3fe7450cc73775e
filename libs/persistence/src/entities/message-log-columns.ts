import { Column } from 'typeorm';

/**
 * The columns a message-log entry has whether it is still staged or already chained
 * (`message_log_staging` and `message_log`); each table adds its time, its dossier index and,
 * once chained, the hashes.
 */
export abstract class MessageLogColumns {
  /** postal or agency. */
  @Column('text')
  channel!: string;

  /** inbound or outbound, from the bridge's side. */
  @Column('text')
  direction!: string;

  @Column('text', { name: 'agency_code', nullable: true })
  agencyCode!: string | null;

  @Column('text')
  operation!: string;

  @Column('text', { name: 'correlation_id', nullable: true })
  correlationId!: string | null;

  @Column('text', { nullable: true })
  status!: string | null;

  /** The message, secrets already redacted. */
  @Column('text')
  body!: string;
}
