import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { MessageLogStaging1764100000000 } from './1764100000000-message-log-staging';
import { OutboxNotifyTrigger1764100000001 } from './1764100000001-outbox-notify-trigger';
import { MessageLogChainVersion1764200000000 } from './1764200000000-message-log-chain-version';
import { Housekeeping1764300000000 } from './1764300000000-housekeeping';
import { OpsHistory1764400000000 } from './1764400000000-ops-history';
import { StatusLookups1764500000000 } from './1764500000000-status-lookups';
import { AgencySuccessor1764500000001 } from './1764500000001-agency-successor';
import { FilingLeases1764600000000 } from './1764600000000-filing-leases';

/** Every migration, in order. Schema changes only ever come from here (never `synchronize`). */
export const BRIDGE_MIGRATIONS = [
  InitialSchema1764000000000,
  MessageLogStaging1764100000000,
  OutboxNotifyTrigger1764100000001,
  MessageLogChainVersion1764200000000,
  Housekeeping1764300000000,
  OpsHistory1764400000000,
  StatusLookups1764500000000,
  AgencySuccessor1764500000001,
  FilingLeases1764600000000,
];
