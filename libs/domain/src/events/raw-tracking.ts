import { PostalDossierRefData } from './event-data';
import { PostalEventType } from './event-types';
import { ITEM_ID, NON_EMPTY_TEXT, TIMESTAMP } from './schemas/common-schemas';
import { JSON_SCHEMA_DIALECT, JsonSchema, patternString } from './schemas/json-schema';

/**
 * A raw tracking event of the postal system: UPU EMSEVT codes (EMA posted/collected, EMB–EMF
 * exchange and customs, EMG arrival at the delivery office, EMH unsuccessful delivery, EMI
 * delivered) or an operator's own codes.
 */
export interface RawTrackingEvent {
  itemId: string;
  eventCode: string;
  office?: string;
  /** RFC 3339 timestamp with offset. */
  time: string;
  /** For unsuccessful delivery: why (and, in `action`, what happens next). */
  reason?: string;
  action?: string;
  /** Which shipment the item is, when the sender knows it; otherwise the caller resolves it. */
  leg?: TrackingLeg;
}

/** `inbound`: the dossier going to the agency; `result`: the result coming back to the applicant. */
export type TrackingLeg = 'inbound' | 'result';

/**
 * Raw tracking events are the operator's format, so fields beyond these are tolerated and
 * ignored rather than refused.
 */
export const RAW_POSTAL_TRACKING_SCHEMA: JsonSchema = {
  $schema: JSON_SCHEMA_DIALECT,
  title: 'Raw postal tracking event',
  type: 'object',
  properties: {
    itemId: ITEM_ID,
    eventCode: patternString(
      '[A-Za-z0-9_.-]{1,16}',
      'an event code of 1–16 letters, digits, "_", "." or "-" (e.g. EMI)',
    ),
    office: NON_EMPTY_TEXT,
    time: TIMESTAMP,
    reason: NON_EMPTY_TEXT,
    action: NON_EMPTY_TEXT,
    leg: { enum: ['inbound', 'result'], description: 'inbound or result' },
  },
  required: ['itemId', 'eventCode', 'time'],
};

/**
 * Event code → postal event type, per leg. `null` marks a code that is known and deliberately
 * ignored (it moves nothing in the dossier's lifecycle); a code absent from the leg's table is
 * unmapped and reported as such.
 */
export type TrackingTable = Readonly<Record<TrackingLeg, Readonly<Record<string, PostalEventType | null>>>>;

const IN_TRANSIT_CODES = { EMB: null, EMC: null, EMD: null, EME: null, EMF: null, EMG: null } as const;

/**
 * The default table. On the inbound leg only delivery to the agency (EMI) means something: the
 * dossier was handed over. Posting (EMA) carries no dossier payload, so `postal.dossier.collected`
 * must come as a full event, and EMA is ignored here. On the result leg EMA is the post taking
 * the result from the agency, EMI delivery to the applicant, EMH a failed attempt.
 */
export const DEFAULT_TRACKING_TABLE: TrackingTable = {
  inbound: { EMA: null, ...IN_TRANSIT_CODES, EMH: null, EMI: 'postal.dossier.handed_over' },
  result: {
    EMA: 'postal.result.collected',
    ...IN_TRANSIT_CODES,
    EMH: 'postal.result.delivery_failed',
    EMI: 'postal.result.delivered',
  },
};

/** The outcome of mapping one raw tracking event. */
export type TrackingMapping =
  | { readonly kind: 'mapped'; readonly type: PostalEventType; readonly data: PostalDossierRefData }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'unmapped'; readonly reason: string };

/**
 * Maps a raw tracking event to a postal event type and its data, using `table` for the leg the
 * item travels on (`leg`, else `raw.leg`). Never throws: an unknown code or leg is `unmapped`.
 */
export function mapRawTrackingEvent(
  raw: RawTrackingEvent,
  table: TrackingTable = DEFAULT_TRACKING_TABLE,
  leg: TrackingLeg | undefined = raw.leg,
): TrackingMapping {
  const code = raw.eventCode.trim().toUpperCase();
  if (leg === undefined) {
    return {
      kind: 'unmapped',
      reason: `cannot map ${code} for item ${raw.itemId}: its leg (inbound or result) is unknown`,
    };
  }
  const legTable = table[leg];
  if (!Object.hasOwn(legTable, code)) {
    return { kind: 'unmapped', reason: `event code ${code} on the ${leg} leg is not in the tracking table` };
  }
  const type = legTable[code];
  if (type === null)
    return { kind: 'ignored', reason: `event code ${code} on the ${leg} leg changes nothing` };

  const data: PostalDossierRefData = { itemId: raw.itemId, at: raw.time };
  if (raw.office !== undefined) data.office = raw.office;
  if (type === 'postal.result.collected') data.resultItemId = raw.itemId;
  const reason = [raw.reason, raw.action].filter(Boolean).join(' — ');
  if (reason !== '') data.reason = reason;
  return { kind: 'mapped', type, data };
}
