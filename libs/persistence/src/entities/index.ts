import { AdapterSpecEntity } from './adapter-spec.entity';
import { AgencyEntity } from './agency.entity';
import { ApiKeyEntity } from './api-key.entity';
import { DeadLetterEntity } from './dead-letter.entity';
import { DossierEntity } from './dossier.entity';
import { InboxEntryEntity } from './inbox-entry.entity';
import { MessageLogEntryEntity } from './message-log-entry.entity';
import { MessageLogStagedEntity } from './message-log-staged.entity';
import { OutboxMessageEntity } from './outbox-message.entity';
import { ParkedEventEntity } from './parked-event.entity';
import { PollCursorEntity } from './poll-cursor.entity';
import { StatusLookupEntity } from './status-lookup.entity';
import { TimelineEntryEntity } from './timeline-entry.entity';

export * from './adapter-spec.entity';
export * from './agency.entity';
export * from './api-key.entity';
export * from './dead-letter.entity';
export * from './dossier.entity';
export * from './inbox-entry.entity';
export * from './message-log-entry.entity';
export * from './message-log-staged.entity';
export * from './outbox-message.entity';
export * from './parked-event.entity';
export * from './poll-cursor.entity';
export * from './status-lookup.entity';
export * from './timeline-entry.entity';

/** Every entity of the bridge, for the DataSource. */
export const BRIDGE_ENTITIES = [
  AgencyEntity,
  AdapterSpecEntity,
  DossierEntity,
  TimelineEntryEntity,
  InboxEntryEntity,
  OutboxMessageEntity,
  DeadLetterEntity,
  MessageLogEntryEntity,
  MessageLogStagedEntity,
  ApiKeyEntity,
  ParkedEventEntity,
  PollCursorEntity,
  StatusLookupEntity,
];
export * from './json-object';
