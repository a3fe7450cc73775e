import { EntityManager } from 'typeorm';

/** One message exchanged with an agency or the post, for the hash-chained message log. */
export interface RecordedMessage {
  channel: 'postal' | 'agency';
  direction: 'inbound' | 'outbound';
  agencyCode?: string;
  dossierId?: string;
  operation: string;
  correlationId?: string;
  status?: string;
  body: string;
}

/** Where the backbone appends exchanged messages (the audit module implements it). */
export interface MessageRecorder {
  append(entries: RecordedMessage[], manager?: EntityManager): Promise<void>;
}

export const MESSAGE_RECORDER = Symbol('MESSAGE_RECORDER');
