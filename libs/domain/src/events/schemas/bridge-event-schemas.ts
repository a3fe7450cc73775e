import {
  DOSSIER_STATUSES,
  DossierStatus,
  PORTAL_CODE_OF_STATUS,
  PORTAL_STATUS_CODES,
} from '../../lifecycle/dossier-status';
import { BridgeEventType, DossierEventType, OperationalEventType } from '../event-types';
import {
  ADDRESS,
  AGENCY_CODE,
  APPLICANT,
  DOCUMENTS,
  FEES,
  ITEM_ID,
  NON_EMPTY_TEXT,
  PROCEDURE_CODE,
  SERVICE_OPTION,
  TIMESTAMP,
} from './common-schemas';
import { JsonSchema, strictObject } from './json-schema';

const STATUS: JsonSchema = { enum: [...DOSSIER_STATUSES], description: 'a dossier status' };
const SEQUENCE: JsonSchema = {
  type: 'integer',
  minimum: 1,
  description: 'a per-dossier sequence number from 1',
};

/** The dossier snapshot every `dossier.<status>` event carries (the Dossier model). */
export const DOSSIER_SNAPSHOT_SCHEMA = strictObject(
  {
    id: { type: 'string', format: 'uuid', description: 'the bridge id, a UUID' },
    inboundItemId: ITEM_ID,
    resultItemId: ITEM_ID,
    agencyCode: AGENCY_CODE,
    procedureCode: PROCEDURE_CODE,
    agencyDossierCode: { ...NON_EMPTY_TEXT, maxLength: 64 },
    serviceOption: SERVICE_OPTION,
    applicant: APPLICANT,
    returnAddress: ADDRESS,
    documents: DOCUMENTS,
    fees: FEES,
    appointmentDate: TIMESTAMP,
    status: STATUS,
    sequence: { type: 'integer', minimum: 0 },
    timestamps: {
      type: 'object',
      propertyNames: STATUS,
      additionalProperties: TIMESTAMP,
      description: 'when each status was reached, keyed by status',
    },
  },
  [
    'id',
    'agencyCode',
    'procedureCode',
    'serviceOption',
    'applicant',
    'documents',
    'fees',
    'status',
    'sequence',
    'timestamps',
  ],
);

/** `data` of `dossier.<status>`: the snapshot, whose status must be that of the type. */
export function dossierEventDataSchema(status: DossierStatus): JsonSchema {
  return strictObject(
    {
      dossier: {
        ...DOSSIER_SNAPSHOT_SCHEMA,
        properties: {
          ...(DOSSIER_SNAPSHOT_SCHEMA.properties as Record<string, JsonSchema>),
          status: { const: status, description: `the status named by the event type, ${status}` },
        },
      },
      previousStatus: {
        anyOf: [STATUS, { type: 'null' }],
        description: 'a dossier status, or null for a new dossier',
      },
      portalStatusCode: {
        const: PORTAL_CODE_OF_STATUS[status],
        description: `the national portal's status code of ${status} (${PORTAL_CODE_OF_STATUS[status]}: ${PORTAL_STATUS_CODES[PORTAL_CODE_OF_STATUS[status]]})`,
      },
      sequence: SEQUENCE,
      cause: strictObject({ event: NON_EMPTY_TEXT, eventId: NON_EMPTY_TEXT, detail: { type: 'string' } }, [
        'event',
      ]),
    },
    ['dossier', 'previousStatus', 'portalStatusCode', 'sequence', 'cause'],
  );
}

/** `data` of `delivery.dead_lettered`. */
export const DEAD_LETTERED_DATA_SCHEMA = strictObject(
  {
    deadLetterId: NON_EMPTY_TEXT,
    agencyCode: AGENCY_CODE,
    dossierId: { type: 'string', format: 'uuid' },
    operation: NON_EMPTY_TEXT,
    errorCode: NON_EMPTY_TEXT,
    reason: NON_EMPTY_TEXT,
    attempts: { type: 'integer', minimum: 1 },
  },
  ['deadLetterId', 'agencyCode', 'operation', 'errorCode', 'reason', 'attempts'],
);

/** `data` of `postal.event_refused`. */
export const POSTAL_EVENT_REFUSED_DATA_SCHEMA: JsonSchema = {
  ...strictObject(
    {
      itemId: { ...NON_EMPTY_TEXT, description: 'the postal item the refused event was about' },
      dossierRef: { ...NON_EMPTY_TEXT, description: 'the dossier reference the refused event named' },
      eventId: { ...NON_EMPTY_TEXT, description: 'id of the refused CloudEvent' },
      eventSource: { ...NON_EMPTY_TEXT, description: 'source of the refused CloudEvent' },
      eventType: { ...NON_EMPTY_TEXT, description: 'type of the refused CloudEvent' },
      reason: { ...NON_EMPTY_TEXT, description: 'why the bridge refused it, e.g. agency not registered' },
      deadLetterId: { ...NON_EMPTY_TEXT, description: 'the dead letter that keeps it, replayable' },
      dossierId: { type: 'string', format: 'uuid' },
    },
    ['eventId', 'eventSource', 'eventType', 'reason', 'deadLetterId'],
  ),
  anyOf: [{ required: ['itemId'] }, { required: ['dossierRef'] }],
};

function circuitDataSchema(state: 'open' | 'closed'): JsonSchema {
  return strictObject(
    {
      agencyCode: AGENCY_CODE,
      state: { const: state },
      consecutiveFailures: { type: 'integer', minimum: 0 },
      reason: NON_EMPTY_TEXT,
    },
    ['agencyCode', 'state'],
  );
}

/** `data` of `audit.checkpoint`. */
export const AUDIT_CHECKPOINT_DATA_SCHEMA = strictObject(
  {
    records: { type: 'integer', minimum: 1 },
    lastId: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' },
    lastHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    at: { type: 'string', format: 'date-time' },
    signature: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
  ['records', 'lastId', 'lastHash', 'at', 'signature'],
);

const OPERATIONAL_DATA_SCHEMAS: Record<OperationalEventType, JsonSchema> = {
  'delivery.dead_lettered': DEAD_LETTERED_DATA_SCHEMA,
  'agency.circuit_opened': circuitDataSchema('open'),
  'agency.circuit_closed': circuitDataSchema('closed'),
  'audit.checkpoint': AUDIT_CHECKPOINT_DATA_SCHEMA,
  'postal.event_refused': POSTAL_EVENT_REFUSED_DATA_SCHEMA,
};

const DOSSIER_DATA_SCHEMAS = Object.fromEntries(
  DOSSIER_STATUSES.map((status) => [`dossier.${status}`, dossierEventDataSchema(status)]),
) as Record<DossierEventType, JsonSchema>;

/** `data` schema of every type the bridge publishes on `bridge.events`. */
export const BRIDGE_EVENT_DATA_SCHEMAS: Readonly<Record<BridgeEventType, JsonSchema>> = {
  ...DOSSIER_DATA_SCHEMAS,
  ...OPERATIONAL_DATA_SCHEMAS,
};
