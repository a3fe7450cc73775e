import { EntityManager } from 'typeorm';
import type { SideWrite } from './side-write';

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
  /**
   * The staging of `entries` as a side write, to ride in the statement of the transaction that
   * makes the change they record (what `append` with a manager does, without a round trip).
   */
  staged(entries: RecordedMessage[]): SideWrite | undefined;
}

export const MESSAGE_RECORDER = Symbol('MESSAGE_RECORDER');
