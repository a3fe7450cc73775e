import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { MessageLogStaging1764100000000 } from './1764100000000-message-log-staging';
import { OutboxNotifyTrigger1764100000001 } from './1764100000001-outbox-notify-trigger';
import { StatusLookups1764200000000 } from './1764200000000-status-lookups';
import { AgencySuccessor1764200000001 } from './1764200000001-agency-successor';

/** Every migration, in order. Schema changes only ever come from here (never `synchronize`). */
export const BRIDGE_MIGRATIONS = [
  InitialSchema1764000000000,
  MessageLogStaging1764100000000,
  OutboxNotifyTrigger1764100000001,
  StatusLookups1764200000000,
  AgencySuccessor1764200000001,
];
